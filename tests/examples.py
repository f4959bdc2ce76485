"""How many examples a Hypothesis test tries: each test's own number in `make test` (and CI);
a fifth of it, at least ten, in `make test-fast` (QUICK_CHECK set), a quick check while
working. Tests that leave the number to Hypothesis get its quick profile there (conftest)."""

import os

QUICK = bool(os.environ.get("QUICK_CHECK"))


def examples(n: int) -> int:
    return max(10, n // 5) if QUICK else n
