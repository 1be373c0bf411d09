"""Row identifiers: positive integers that fit the database's INTEGER column (PostgreSQL's is
32-bit). Anything outside this range cannot name a row, so inputs are checked against it before
they reach the database."""

MAX_ID = 2**31 - 1


def is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID
