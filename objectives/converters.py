class PriorityKeyConverter:
    """A priority within its strategy: "3" in Part One, "part2-3" in any later part."""

    regex = r"(?:part[2-9]-)?[1-9][0-9]*"

    def to_python(self, value: str) -> tuple[int, int]:
        if value.startswith("part"):
            part, number = value[4:].split("-")
            return int(part), int(number)
        return 1, int(value)

    def to_url(self, value: tuple[int, int] | str) -> str:
        if isinstance(value, str):
            return value
        part, number = value
        return str(number) if part == 1 else f"part{part}-{number}"
