"""`InList(F("movie_id"), ids)`: membership in a list of ids passed as ONE parameter.

A slate filters on lists of several hundred ids (the films someone has seen, the
candidates). As `__in`, each id is a parameter of its own, which Django prepares and the
driver splices into the SQL one by one: measured, that cost more than the queries
themselves. Here PostgreSQL gets one array (`= ANY(%s)`) and SQLite one JSON text
(`IN (SELECT value FROM json_each(%s))`), whatever the length.
"""

import json

from django.db.models import Lookup


class InList(Lookup):
    lookup_name = "in_list"
    prepare_rhs = False

    def __init__(self, lhs, rhs):
        # A tuple of ints hashes in one go; Django hashes expressions (for GROUP BY, for
        # caching) and walks a list element by element.
        super().__init__(lhs, tuple(int(value) for value in rhs))

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs
        # `lhs` is a column Django compiled; the ids only ever travel as a parameter.
        if connection.vendor == "postgresql":
            # Cast to the column's own type, as PostgreSQL hashes a long ANY() only when
            # both sides hash alike (the driver would send int4[]); and send the array as
            # text, as adapting a list element by element in Python cost more than the query.
            kind = self.lhs.output_field.cast_db_type(connection)
            text = "{" + ",".join(map(str, ids)) + "}"
            return f"{lhs} = ANY(%s::{kind}[])", [*lhs_params, text]
        sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        return sql, [*lhs_params, json.dumps(list(ids))]
