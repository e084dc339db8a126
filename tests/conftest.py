"""Shared pytest configuration: hypothesis settings profiles.

``default`` is fast for local runs; ``ci`` (used by ``make test``) is derandomized
so CI is reproducible, with more examples.
"""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("default")
