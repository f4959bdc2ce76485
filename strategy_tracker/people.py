"""How the app names people and reads row ids from what a browser sent."""

# The largest id a database row can have: a larger number cannot name a row, and some
# databases (SQLite) fail on it rather than find nothing.
LARGEST_ID = 2**63 - 1


def display_name(user) -> str:
    """A person's full name, or their username if they have none."""
    return user.get_full_name() or user.username


def as_id(value) -> int | None:
    """The row id a text names (ASCII digits, within a database id), else None."""
    text = str(value)
    if text.isascii() and text.isdigit() and int(text) <= LARGEST_ID:
        return int(text)
    return None
