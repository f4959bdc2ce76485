"""Financial quarters as the UK public sector counts them: the year runs from April to March,
so 2024/25 Q1 is April to June 2024 and 2024/25 Q4 is January to March 2025. Pure Python."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_LABEL = re.compile(r"^\s*([0-9]{4})/([0-9]{2})\s*Q([1-4])\s*$", re.IGNORECASE)
# Years a quarter may fall in: a quarter's end plus any grace period stays a valid date.
FIRST_YEAR, LAST_YEAR = 1900, 9997


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the calendar year the financial year starts in: 2024 for 2024/25
    number: int  # 1 to 4

    def __post_init__(self):
        if not 1 <= self.number <= 4:
            raise ValueError(f"A quarter is numbered 1 to 4, not {self.number}.")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"A quarter falls between {FIRST_YEAR} and {LAST_YEAR}.")

    @classmethod
    def containing(cls, day: dt.date) -> "Quarter":
        months_into_year = (day.month - 4) % 12  # April is month 0
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, months_into_year // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """ "2024/25 Q2" → Quarter(2024, 2); ValueError for anything else."""
        match = _LABEL.match(text)
        if not match:
            raise ValueError(f'"{text}" is not a quarter such as 2024/25 Q2.')
        year, short_end, number = int(match[1]), int(match[2]), int(match[3])
        if (year + 1) % 100 != short_end:
            raise ValueError(f'"{text}": a financial year runs into the next one, as 2024/25.')
        return cls(year, number)

    @property
    def start(self) -> dt.date:
        month = 4 + 3 * (self.number - 1)
        return dt.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        last_month = self.start.month + 2
        year = self.start.year
        return dt.date(year, last_month, calendar.monthrange(year, last_month)[1])

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.number}"

    def __str__(self) -> str:
        return self.label

    def next(self) -> "Quarter":
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)


def file_name_of(quarter: Quarter) -> str:
    """ "2024/25 Q2" as a file name's part: "2024-25-q2"."""
    return quarter.label.replace("/", "-").replace(" ", "-").lower()


def quarter_of_file_name(text: str) -> Quarter:
    """file_name_of's inverse: "2024-25-q2" → Quarter(2024, 2); ValueError for anything else."""
    return Quarter.parse(text.replace("-q", " Q").replace("-", "/", 1))
