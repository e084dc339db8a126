"""Mechanisms with money: VCG, second-price and Myerson auctions, automated mechanism design.

* :func:`vcg`, :func:`combinatorial_vcg`: the Clarke-pivot VCG mechanism over
  any finite outcome set, and a combinatorial auction built on it.
* :func:`second_price_auction`, :func:`myerson_auction`: single-item auctions
  on bids; :func:`virtual_value`, :func:`ironed_intervals`,
  :func:`myerson_reserve`, :func:`myerson_revenue`, :func:`second_price_revenue`:
  their theory for discrete and continuous value distributions.
* :func:`optimal_auction`, :func:`optimal_menu`: optimal mechanisms found by
  linear programming over finite type spaces, with certificates.
"""

from .amd import AuctionMechanism, MechanismCertificate, MenuMechanism, optimal_auction, optimal_menu
from .myerson import (
    AuctionOutcome,
    ironed_intervals,
    myerson_auction,
    myerson_reserve,
    myerson_revenue,
    second_price_auction,
    second_price_revenue,
    virtual_value,
)
from .vcg import CombinatorialVCGResult, VCGResult, combinatorial_vcg, vcg

__all__ = [
    "vcg", "combinatorial_vcg", "VCGResult", "CombinatorialVCGResult",
    "second_price_auction", "myerson_auction", "AuctionOutcome",
    "virtual_value", "ironed_intervals", "myerson_reserve", "myerson_revenue", "second_price_revenue",
    "optimal_auction", "optimal_menu", "AuctionMechanism", "MenuMechanism", "MechanismCertificate",
]
