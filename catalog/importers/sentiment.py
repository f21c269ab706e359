"""Sentiment of a short text, offline: VADER, whose lexicon ships inside the package.

VADER (Hutto & Gilbert, 2014) is a rule-based model tuned on social media: it reads
tweets' capitals, "!!!", emoticons and "not great" without any download at run time.
Its compound score is in [-1, 1]; the thresholds are the ones its authors recommend.
"""

from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from catalog.models import SentimentLabel

POSITIVE_FROM, NEGATIVE_FROM = 0.05, -0.05


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()  # reads its lexicon files once, from the package


def sentiment_of(text: str) -> tuple[float, str]:
    """(compound score in [-1, 1], label)."""
    score = analyzer().polarity_scores(text)["compound"]
    if score >= POSITIVE_FROM:
        return score, SentimentLabel.POSITIVE
    if score <= NEGATIVE_FROM:
        return score, SentimentLabel.NEGATIVE
    return score, SentimentLabel.NEUTRAL
