"""The largest whole numbers a column holds: the same on SQLite as on PostgreSQL.

PostgreSQL's `integer`, the column of most ids and counts, stops at 2³¹ − 1 and its
`bigint` at 2⁶³ − 1; SQLite stores any 64-bit integer in either. A larger value would
save on SQLite and then stop the move to PostgreSQL: it is refused on both.
"""

INTEGER_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1
