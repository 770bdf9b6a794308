"""The matching engine: pure Python + jieba + scikit-learn, no Flask and no SQLAlchemy.

Public API: PositionDoc, SeekerDoc, Match, SeekerMatch, MatchingEngine, ScoringWeights,
suggest_occupations, suggest_occupations_for_many, OccupationSuggestion, infer_occupations,
infer_occupations_for_many, input_notes,
evaluate_suggestions, evaluate_recommendations.
"""

from jobfair.matching.docs import Match, PositionDoc, SeekerDoc, SeekerMatch
from jobfair.matching.evaluation import evaluate_recommendations, evaluate_suggestions
from jobfair.matching.features import input_notes
from jobfair.matching.occupations import (
    OccupationSuggestion,
    infer_occupations,
    infer_occupations_for_many,
    load_eval_rows,
    occupation_name,
    suggest_occupations,
    suggest_occupations_for_many,
)
from jobfair.matching.ranking import MatchingEngine
from jobfair.matching.scoring import ScoringWeights

__all__ = [
    "Match",
    "MatchingEngine",
    "OccupationSuggestion",
    "PositionDoc",
    "ScoringWeights",
    "SeekerDoc",
    "SeekerMatch",
    "evaluate_recommendations",
    "evaluate_suggestions",
    "infer_occupations",
    "infer_occupations_for_many",
    "input_notes",
    "load_eval_rows",
    "occupation_name",
    "suggest_occupations",
    "suggest_occupations_for_many",
]
