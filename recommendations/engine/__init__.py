"""The recommendation engine: what it learns from everyone's ratings, how it scores a
person's unseen films, and how it assembles a slate. See docs/recommendations.md.

The numbers the whole engine shares live here; each part's own weights live beside what
they weigh (profile.py, slate.py, sources.py). Changing any of them changes what the
engine proposes: change `ENGINE_VERSION` with it, which every log row records.
"""

ENGINE_VERSION = "2026.11-14"

# What counts as liking a film: a rating normalised to 0-1 of at least 0.75 (4 of 5 on
# 1-5, 4 of 0.5-5), or "would watch again".
POSITIVE = 0.75

# A reason calls a film popular when its prior's popularity (log scale, 1 for the most
# loved film) is at least this; "well rated" is an average rating of at least POSITIVE.
POPULAR = 0.5

# Item-to-item similarity (build_similarities). Asymmetric cosine: co-likes divided by
# n_i^ALPHA * n_j^(1-ALPHA), which with ALPHA above 0.5 damps blockbusters as neighbours;
# each rater's co-likes count 1/n_u^RATER_DAMPING, so that someone who loves everything
# says less about any pair. Measured in docs/benchmarks.md.
NEIGHBOURS = 50
ALPHA = 0.75
RATER_DAMPING = 1.0
# Fewer raters than this loving both films is chance, not similarity.
MIN_SUPPORT = 1
MIN_POSITIVES = 3

# The prior: a damped average (DAMPING pseudo-ratings at the global mean), where one
# aggregate (a TMDB vote average, say) counts as at most AGGREGATE_CAP ratings.
DAMPING = 10
AGGREGATE_CAP = 25

# How many candidates each source contributes before scoring.
CF_POOL = 300
PRIOR_POOL = 100
WILDCARD_POOL = 30

# The score: a weighted sum of signals that each lie in 0-1, so the score does too.
WEIGHT_COLLABORATIVE = 0.75
WEIGHT_PRIOR = 0.10
WEIGHT_GENRE = 0.05
WEIGHT_RELATION = 0.10
# A film on the person's watchlist: they said they want to see it, which no signal of
# ours outweighs lightly. The score is then (1 - WEIGHT_WATCHLIST) times the above, plus
# this: films off the watchlist keep their order among themselves (the evaluation, which
# has no watchlists, measures the same ranking), and a watchlist film that fits the
# person moderately (0.3 above) outranks the best-fitting other film (about 0.9).
WEIGHT_WATCHLIST = 0.4

# A slate avoids every film shown to the person in the last RECENT_HOURS (their newest
# RECENT_SLATES slates at most, which bounds the query: more than the candidate pool can
# fill, three films a slate), for as long as the candidates last; then the films shown
# longest ago come back first (engine/slate.py).
RECENT_HOURS = 72
RECENT_SLATES = 150
USUAL_GENRES = 3
