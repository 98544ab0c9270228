"""Whole numbers no column can hold, in a query: they match no row, as Django already makes ``exact``, ``gt`` and the
others do. Django's ``in`` sends them to the database, where SQLite raises OverflowError and PostgreSQL "out of
range": a form's list of choices or an API's list of ids carrying ``2**64`` would be a server error."""

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
