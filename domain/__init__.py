"""The pure core of Sitrep: parsing, the control fold and alert rules.

Nothing here does I/O, reads the clock or the environment, or uses asyncio:
times, ids and reference data are passed in, so every function is a plain,
repeatable computation (and the same one serves the processor, replay and
``as_of`` queries).
"""
