"""A priority's number as people read it. Addresses and snapshots write a priority outside
Part One as "part2-3" (objectives/converters.py), and its objectives as "part2-3.1"; the
documents number each part's priorities from 1 under the part's heading, so pages write
"Part 2, 3" and "Part 2, 3.1"."""

import re

_OUTSIDE_PART_ONE = re.compile(r"part([2-9])-(\d.*)")


def shown(key: str) -> str:
    """'3' → '3'; 'part2-3' → 'Part 2, 3'; 'part2-3.1' → 'Part 2, 3.1'."""
    found = _OUTSIDE_PART_ONE.fullmatch(str(key))
    return f"Part {found.group(1)}, {found.group(2)}" if found else str(key)
