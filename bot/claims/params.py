"""Every threshold and weight of claim detection in one frozen object.

Confidence starts from how the competitor was found (the subject path) and each doubt the rules
notice subtracts its weight; `gapwatch detect --explain` prints the path and the doubts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Params:
    """Detection parameters (defaults are the shipped behaviour)."""

    # reach, in characters
    cue_reach: int = 170  # a cue governs frontier mentions up to this far after it
    negation_reach: int = 30  # negation this close before a cue flips it
    reverse_reach: int = 25  # "GPT-4o outperforms X": cue this close after the frontier mention
    zh_frame_reach: int = 20  # "与 GPT-4o 相当": cue this close after the mention
    post_level_reach: int = 25
    inline_tie_points: float = 1.0  # "88.9 vs 88.7": within a point is parity
    inline_close_points: float = 5.0  # behind by up to this much approaches, further trails

    # base confidence by subject path
    named_subject: float = 0.9  # a model named before the cue in the same clause
    reversed_subject: float = 0.8  # "GPT-4o trails X"
    pronoun_subject: float = 0.78  # "It matches o1" / "该模型优于 GPT-4o", resolved to the text's model
    borrowed_subject: float = 0.72  # no subject: the earlier sentence's or the heading's model
    main_model_subject: float = 0.6  # no subject at all: the document's main model
    shorthand_frontier: float = 0.3  # the frontier model named by its family word ("Sonnet's 77%")
    contrast: float = 0.4  # "F solve only 2. In contrast, X solves 9": an inference, not alerted
    family_ref: float = 0.3  # "the o1 models", "the GPT-4 family": recorded, not alerted
    plain_word_subject: float = 0.75  # one capitalised word the text marks as a name ("Quokka beats")

    # doubts (subtracted)
    approaches: float = 0.05
    reported: float = 0.4  # "reportedly", "critics dispute", "据称": recorded, never alerted ...
    reported_cap: float = 0.4  # ... because the confidence is capped here, below alert_threshold
    negated_exceeds: float = 0.15
    crowded_subject: float = 0.12  # several models named before the cue
    far_cue: float = 0.1  # cue far from the mention
    far_cue_chars: int = 90
    rare_name: float = 0.12  # the competitor is named once and is not the text's main model
    long_sentence: float = 0.05
    long_sentence_chars: int = 320
    shared_cue: float = 0.1  # the cue governs an earlier mention too, with other words between
    weak_cue: float = 0.08  # "competes with", "similar to", "higher than": loose wording
    borrowed_across_heading: float = 0.05
    unclear_subject: float = (
        0.3  # borrowed competitor, but the clause has its own subject: capped below alerting
    )

    # tables
    table_base: float = 0.45
    table_rows_weight: float = 0.25
    table_rows_full: int = 8
    table_margin_weight: float = 0.2
    table_min_rows: int = 2
    table_several_own_columns: float = 0.15  # the card's own model has several columns (sizes)
    table_guessed_cap: float = 0.45  # no main model in the prose: the table's first model column is
    # a guess, recorded below the alert threshold

    alert_threshold: float = 0.5  # the default route's min_confidence


DEFAULT = Params()
