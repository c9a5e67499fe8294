"""Pure calculators for export readiness: no UI, small dataclasses in and out.

Every bad input raises :class:`course.calculators.validation.InputError`, a ``ValueError``
that names the field, the value and what is accepted.
"""
