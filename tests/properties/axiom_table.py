"""The rule x axiom table: search sizes and the expected violations, each with its reason (data only).

Read by ``test_rule_axioms.py`` through :func:`mechanisms.testing.axiom_cases`.
Every registered rule is checked against every axiom that applies to it; a pair
listed in ``EXPECTED`` must have a counterexample within its search sizes (an
unexpected pass fails), every other pair must have none (an unexpected violation
fails).  A new rule therefore needs its known violations declared here.

Conventions of the checks (see ``mechanisms.axioms.base``): rules are
irresolute (the full tied set of winners is the outcome), so an axiom that asks
for a unique winner is violated by a tie; manipulation axioms break ties
lexicographically (``model="tie_break"``).
"""

import pytest

#: default search: every anonymous profile with 1..N voters and 2..M alternatives
N_VOTERS = 3
N_ALTERNATIVES = 3

#: rules whose one call costs milliseconds (MILPs, maximum-likelihood fits): smaller searches, marked slow
_SLOW = [pytest.mark.slow]
#: approval committee rules elect k = 2 of 3 alternatives (k = 1 of 2)
_COMMITTEE = {"rule_options": lambda m: {"k": min(2, m - 1)}}
RULE_SETTINGS = {
    "positional": {"rule_options": lambda m: {"score_vector": list(range(m - 1, -1, -1))}},
    "av": _COMMITTEE, "sav": _COMMITTEE, "cc": _COMMITTEE, "pav": _COMMITTEE, "seq_pav": _COMMITTEE,
    "seq_phragmen": _COMMITTEE, "mes": _COMMITTEE,
    "dodgson": {"n_voters": 2, "marks": _SLOW},
    "young": {"n_voters": 2, "marks": _SLOW},
    "bradley_terry": {"n_voters": 1, "marks": _SLOW},
    "plackett_luce": {"n_voters": 1, "marks": _SLOW},
    "maxmin_rlhf": {"n_voters": 1, "marks": _SLOW},
    "leximax_copeland": {"n_voters": 1, "marks": _SLOW},
    "linear_bradley_terry": {"n_voters": 2, "marks": _SLOW},
}

#: known defects of rules, found by this suite (strict: the case fails once the defect is fixed, so the mark
#: gets removed)
CASE_SETTINGS: dict = {}

AXIOM_SETTINGS = {
    "homogeneity": {"params": {"factors": (2,)}},
}

_GS = ("Gibbard (1973) and Satterthwaite (1975): every onto, non-dictatorial rule over three or more "
       "alternatives is manipulable (here with ties broken lexicographically)")
_GS_COALITION = "a single manipulator is a coalition of size 1, so Gibbard-Satterthwaite applies"
_SCORING_CW = "Fishburn (1974): no positional scoring rule is Condorcet-consistent (and ties count as failures)"
_SCORING_CLONES = "Tideman (1987): positional scoring rules are not independent of clones (vote splitting)"
_TIE_ALL = ("the Condorcet rule ties every alternative when there is no Condorcet winner, so it elects "
            "dominated, last-ranked and Smith-dominated alternatives")
_TOP_CYCLE = "the top cycle (Smith set) includes every alternative of a majority cycle, Pareto-dominated ones too"
_RD_SUPPORT = ("random dictatorship gives every first-ranked alternative positive probability, so a Condorcet "
               "or majority loser, or a Smith-dominated alternative, can be in its support")
_PB_SUPPORT = ("proportional Borda gives every alternative with a positive Borda score positive probability, "
               "dominated and Condorcet-losing alternatives included")
_ML_TIE = ("with an even number of voters the maximal lottery need not be unique; the rule returns the most even "
           "one, which need not commute with cloning or truncation (the unique maximal lottery of odd profiles "
           "does: Brandl, Brandt and Seedig 2016)")
_PR_TIE = "raising a tied winner on one ballot can leave the tie in place: May's positive responsiveness fails"

#: (rule id, axiom id) -> reason, or a mapping with the reason and larger search sizes for that case.
#: ("*", axiom) applies to every rule the axiom applies to.
EXPECTED = {
    ("*", "strategyproofness"): _GS,
    ("*", "coalitional_manipulability"): _GS_COALITION,
    ("plackett_luce", "strategyproofness"): {"reason": _GS, "n_voters": 2},
    ("plackett_luce", "coalitional_manipulability"): {"reason": _GS_COALITION, "n_voters": 2},
    ("bradley_terry", "strategyproofness"): {"reason": _GS, "n_voters": 2},
    ("bradley_terry", "coalitional_manipulability"): {"reason": _GS_COALITION, "n_voters": 2},
    ("maxmin_rlhf", "strategyproofness"): {"reason": _GS, "n_voters": 2},
    ("maxmin_rlhf", "coalitional_manipulability"): {"reason": _GS_COALITION, "n_voters": 2},

    # ---- positional scoring rules
    ("plurality", "condorcet_winner"): _SCORING_CW,
    ("plurality", "condorcet_loser"): "plurality can elect a Condorcet loser (vote splitting among the others)",
    ("plurality", "smith"): "plurality can elect outside the Smith set (it is not Condorcet-consistent)",
    ("plurality", "majority_loser"): "plurality can elect an alternative a majority ranks last (here in a tie)",
    ("plurality", "independence_of_clones"): _SCORING_CLONES,
    ("plurality", "independence_of_smith_dominated"): "a Smith-dominated alternative splits first places",
    ("plurality", "pairwise_majority_consistency"): "its ranking only counts first places (ties the rest)",
    ("plurality", "pareto_ranking"): "its ranking ties alternatives no voter ranks first, dominated or not",
    ("plurality", "positive_responsiveness"): "raising a winner from third to second place changes no score",
    ("plurality", "reversal_symmetry"): "with three voters and three alternatives one alternative can top both a "
                                        "profile and its reversal (Saari 1994: only Borda is reversal symmetric "
                                        "among scoring rules)",
    ("borda", "condorcet_winner"): _SCORING_CW,
    ("borda", "smith"): "Borda can elect outside the Smith set (it is not Condorcet-consistent)",
    ("borda", "majority"): "Borda can deny a majority's first choice (it is not Condorcet-consistent)",
    ("borda", "independence_of_clones"): _SCORING_CLONES + "; for Borda, clones gain (teaming)",
    ("borda", "independence_of_smith_dominated"): "a Smith-dominated alternative changes the Borda scores",
    ("borda", "pairwise_majority_consistency"): "Borda's ranking need not follow a transitive majority relation",
    ("positional", "condorcet_winner"): _SCORING_CW + " (tested with the Borda vector)",
    ("positional", "smith"): "with the Borda vector it can elect outside the Smith set",
    ("positional", "majority"): "with the Borda vector it can deny a majority's first choice",
    ("positional", "independence_of_clones"): _SCORING_CLONES,
    ("positional", "independence_of_smith_dominated"): "a Smith-dominated alternative changes the scores",
    ("positional", "pairwise_majority_consistency"): "a score ranking need not follow a transitive majority",
    ("dowdall", "independence_of_clones"): _SCORING_CLONES,
    ("dowdall", "pairwise_majority_consistency"): "a score ranking need not follow a transitive majority",
    ("antiplurality", "pareto"): "with one voter a > b > c, a and b both avoid the veto and tie: b is dominated",
    ("antiplurality", "pareto_ranking"): "antiplurality ties every alternative not ranked last",
    ("antiplurality", "unanimity"): "a unanimous first choice ties with every alternative no one vetoes",
    ("antiplurality", "majority"): "a majority's first choice ties with every alternative no one vetoes",
    ("antiplurality", "condorcet_winner"): _SCORING_CW,
    ("antiplurality", "condorcet_loser"): "antiplurality can elect a Condorcet loser that nobody ranks last",
    ("antiplurality", "smith"): "antiplurality can elect outside the Smith set",
    ("antiplurality", "independence_of_clones"): _SCORING_CLONES,
    ("antiplurality", "independence_of_smith_dominated"): "a Smith-dominated alternative absorbs vetoes",
    ("antiplurality", "pairwise_majority_consistency"): "its ranking only counts last places",
    ("antiplurality", "positive_responsiveness"): "raising a winner from second to first place changes no score",
    ("antiplurality", "resolvability"): "some ties among vetoed alternatives survive any one added ballot",
    ("antiplurality", "reversal_symmetry"): "an alternative never ranked last tops a profile and its reversal",
    ("k_approval", "pareto"): "with k = 2 of 2 alternatives everything is approved and ties",
    ("k_approval", "pareto_ranking"): "approving the top k ties them, dominated or not",
    ("k_approval", "unanimity"): "a unanimous first choice ties with the other approved alternatives",
    ("k_approval", "majority"): "a majority's first choice ties with the other approved alternatives",
    ("k_approval", "majority_loser"): "with k = m every alternative, last-ranked or not, is approved",
    ("k_approval", "condorcet_winner"): _SCORING_CW,
    ("k_approval", "condorcet_loser"): "with k = m every alternative ties, the Condorcet loser included",
    ("k_approval", "smith"): "k-approval can elect outside the Smith set",
    ("k_approval", "independence_of_clones"): _SCORING_CLONES,
    ("k_approval", "independence_of_smith_dominated"): "a Smith-dominated alternative takes approvals",
    ("k_approval", "pairwise_majority_consistency"): "its ranking ties the approved alternatives",
    ("k_approval", "positive_responsiveness"): "raising a winner within the top k changes no score",
    ("k_approval", "resolvability"): "with k = m no added ballot separates the alternatives",
    ("k_approval", "reversal_symmetry"): "an alternative approved on every ballot tops a profile and its reversal",

    # ---- runoff and elimination rules
    ("instant_runoff", "condorcet_winner"): "instant runoff is not Condorcet-consistent (center squeeze)",
    ("instant_runoff", "smith"): "instant runoff can elect outside the Smith set",
    ("instant_runoff", "independence_of_smith_dominated"): "a Smith-dominated alternative changes the eliminations",
    ("instant_runoff", "positive_responsiveness"): _PR_TIE,
    ("instant_runoff", "resolvability"): "some three-way first-place ties survive any one added ballot "
                                         "(parallel-universe tie-breaking keeps every possible winner)",
    ("plurality_with_runoff", "condorcet_winner"): "the Condorcet winner can miss the runoff",
    ("plurality_with_runoff", "smith"): "the Condorcet winner can miss the runoff",
    ("plurality_with_runoff", "independence_of_smith_dominated"): "a Smith-dominated alternative changes who "
                                                                  "reaches the runoff",
    ("plurality_with_runoff", "positive_responsiveness"): _PR_TIE,
    ("plurality_with_runoff", "resolvability"): "some three-way ties survive any one added ballot",
    ("coombs", "positive_responsiveness"): _PR_TIE,
    ("baldwin", "positive_responsiveness"): _PR_TIE,
    ("nanson", "positive_responsiveness"): _PR_TIE,
    ("bucklin", "later_no_harm"): "Bucklin counts later preferences when no majority is reached, so they can "
                                  "harm earlier ones (Woodall 1997)",
    ("bucklin", "independence_of_clones"): "clones split the first rounds' majority counts",
    ("bucklin", "pairwise_majority_consistency"): "its ranking (by median rank) ties alternatives a majority orders",
    ("bucklin", "pareto_ranking"): "its ranking (by median rank) can tie a dominated alternative",
    ("bucklin", "resolvability"): "some ties survive any one added ballot",
    ("bucklin", "reversal_symmetry"): "the median-ranked alternative of a ballot and its reverse wins both",

    # ---- majoritarian rules
    ("condorcet", "pareto"): _TIE_ALL,
    ("condorcet", "condorcet_loser"): _TIE_ALL,
    ("condorcet", "majority_loser"): _TIE_ALL,
    ("condorcet", "smith"): _TIE_ALL,
    ("condorcet", "independence_of_smith_dominated"): _TIE_ALL,
    ("condorcet", "independence_of_clones"): _TIE_ALL,
    ("condorcet", "reversal_symmetry"): "a Condorcet winner of a profile can be the unique winner of its reversal "
                                        "too when the reversal has no Condorcet winner and ties",
    ("condorcet", "later_no_harm"): "Condorcet consistency is incompatible with later-no-harm (Woodall 1997)",
    ("condorcet", "participation"): "with lexicographic tie-breaking, abstaining can turn a full tie into a "
                                    "preferred Condorcet winner (Moulin 1988 for resolute Condorcet rules)",
    ("condorcet", "positive_responsiveness"): _PR_TIE,
    ("condorcet", "reinforcement"): "Young (1975): only scoring rules are consistent; a Condorcet winner of one "
                                    "electorate and a full tie in the other need not combine",
    ("condorcet", "resolvability"): "one added ballot cannot always create a Condorcet winner",
    ("smith_set", "pareto"): _TOP_CYCLE,
    ("smith_set", "later_no_harm"): "Condorcet consistency is incompatible with later-no-harm (Woodall 1997)",
    ("smith_set", "participation"): "with lexicographic tie-breaking, abstaining can shrink a cycle to a "
                                    "preferred winner (Moulin 1988)",
    ("smith_set", "positive_responsiveness"): _PR_TIE,
    ("smith_set", "reinforcement"): "Young (1975): only scoring rules are consistent",
    ("smith_set", "resolvability"): "one added ballot cannot always break a majority cycle",
    ("schwartz_set", "positive_responsiveness"): _PR_TIE,
    ("uncovered_set", "positive_responsiveness"): _PR_TIE,
    ("uncovered_set", "resolvability"): "one added ballot cannot always break a three-cycle",
    ("copeland", "independence_of_clones"): "Copeland is not independent of clones: a clone adds a pairwise win "
                                            "(here already with two voters)",
    ("llull", "positive_responsiveness"): _PR_TIE,
    ("minimax", "positive_responsiveness"): _PR_TIE,
    ("minimax", "pairwise_majority_consistency"): "its ranking by worst defeat ties alternatives a majority orders",
    ("minimax", "pareto_ranking"): "its ranking by worst defeat can tie a dominated alternative",
    ("schulze", "positive_responsiveness"): _PR_TIE,
    ("split_cycle", "positive_responsiveness"): _PR_TIE,
    ("black", "independence_of_clones"): "Black falls back on Borda, which is not independent of clones",
    ("stable_voting", "independence_of_clones"): "with pairwise ties (two voters) removing a clone changes which "
                                                 "non-clones tie for the win (set-valued form of the criterion)",
    ("ranked_pairs_tb", "neutrality"): "pairs with equal margins are ordered by the fixed priority of alternatives",
    ("ranked_pairs_tb", "reversal_symmetry"): "with two opposite ballots the fixed priority elects the same "
                                              "alternative in the profile and its reversal",
    ("ranked_pairs_tb", "independence_of_clones"): "equal margins are ordered by alternative ids, not by a "
                                                   "clone-consistent tie-breaking ranking (Zavist and Tideman 1989)",
    ("dodgson", "independence_of_clones"): "Dodgson is not independent of clones (here with pairwise ties)",
    ("young", "pairwise_majority_consistency"): "its ranking by Young score ties alternatives a majority orders",
    ("young", "pareto_ranking"): "its ranking by Young score can tie a dominated alternative",
    ("young", "positive_responsiveness"): _PR_TIE,

    # ---- rules fitted to pairwise comparisons (RLHF)
    ("bradley_terry", "independence_of_clones"): {"reason": "a clone splits the comparisons won against the "
                                                            "others, and the fitted strengths move", "n_voters": 2},
    ("linear_bradley_terry", "independence_of_clones"): "a clone splits the comparisons won against the others, "
                                                        "and the fitted strengths move",
    ("leximax_copeland", "independence_of_clones"): {"reason": "built on Copeland scores, which a clone changes "
                                                               "(here already with two voters)", "n_voters": 2},
    ("leximax_copeland", "neutrality"): {"reason": "the output ranking is a linear order: rankings that tie are "
                                                   "separated by alternative index (the winners still tie)",
                                         "n_voters": 2},
    ("leximax_copeland", "strategyproofness"): {"reason": _GS, "n_voters": 2},
    ("leximax_copeland", "coalitional_manipulability"): {"reason": _GS_COALITION, "n_voters": 2},
    ("bradley_terry", "pairwise_majority_consistency"): {
        "reason": "Ge et al. (2024): Bradley-Terry maximum likelihood is not pairwise-majority consistent",
        "n_voters": 3},

    # ---- exact Condorcet rules (irresolute: the full tied set)
    ("kemeny", "positive_responsiveness"): _PR_TIE,
    ("slater", "positive_responsiveness"): _PR_TIE,
    ("ranked_pairs", "positive_responsiveness"): _PR_TIE,

    # ---- probabilistic rules: set-valued axioms are judged on the lottery's support
    ("random_dictatorship", "strategyproofness"): None,  # Gibbard (1977): SD-strategyproof
    ("random_dictatorship", "coalitional_manipulability"): None,
    ("random_dictatorship", "condorcet_winner"): _RD_SUPPORT,
    ("random_dictatorship", "condorcet_loser"): _RD_SUPPORT,
    ("random_dictatorship", "majority"): _RD_SUPPORT,
    ("random_dictatorship", "majority_loser"): _RD_SUPPORT,
    ("random_dictatorship", "smith"): _RD_SUPPORT,
    ("random_dictatorship", "independence_of_smith_dominated"): _RD_SUPPORT,
    ("proportional_borda", "strategyproofness"): None,  # Barbera (1979): point voting is SD-strategyproof
    ("proportional_borda", "coalitional_manipulability"): None,
    ("proportional_borda", "pareto"): _PB_SUPPORT,
    ("proportional_borda", "unanimity"): _PB_SUPPORT,
    ("proportional_borda", "condorcet_winner"): _PB_SUPPORT,
    ("proportional_borda", "condorcet_loser"): _PB_SUPPORT,
    ("proportional_borda", "majority"): _PB_SUPPORT,
    ("proportional_borda", "majority_loser"): _PB_SUPPORT,
    ("proportional_borda", "smith"): _PB_SUPPORT,
    ("proportional_borda", "independence_of_smith_dominated"): _PB_SUPPORT,
    ("proportional_borda", "independence_of_clones"): "a clone takes Borda points from the others, so every "
                                                      "probability moves",
    ("maximal_lottery", "independence_of_clones"): _ML_TIE,
    ("maximal_lottery", "later_no_harm"): _ML_TIE,
    ("maximal_lottery", "strategyproofness"): {"reason": _GS, "n_voters": 4},

    # ---- approval committees (k = 2 of 3)
    ("av", "jr"): "Aziz et al. (2017): approval voting violates JR (tied committees can leave a group out)",
    ("av", "pjr"): "AV violates JR, hence PJR",
    ("av", "ejr"): "AV violates JR, hence EJR",
    ("av", "core"): "AV violates JR, hence the core",
    ("cc", "pjr"): "Chamberlin-Courant satisfies JR but not PJR (Sanchez-Fernandez et al. 2017)",
    ("cc", "ejr"): "Chamberlin-Courant satisfies JR but not EJR (Aziz et al. 2017)",
    ("cc", "core"): "Chamberlin-Courant violates EJR, hence the core",
}
