"""Imports of outside data into the catalog: MovieLens, TMDB and tweets.

Shared machinery first, then one module per format:

- `report`: what an import did (created, updated, skipped, rejected per kind of row), the
  rejected rows with their file:line and reason, and the errors that stop an import.
- `reading`: streamed CSV and JSON-lines readers that number lines and refuse a file in the
  wrong format with a one-line reason; the progress bar. `records`: typed reads of one
  JSON record.
- `matching`: finding the catalog's movie for a row (TMDB id, then IMDb id, then title and
  year) and the genres by name.
- `writing`: batches in their own transactions, and syncing a batch against the rows
  already there (created / updated / unchanged).
- `movies`: creating and filling in movies, and their genres, for every format.
- `movielens`, `movielens_ratings`, `tmdb`, `tweets` (with `sentiment`): the formats.
- `command`: the base of the import management commands; `uploads`: the admin's upload.

Every importer is a function taking a path and returning an `ImportReport`, so that the
commands and the admin's upload page run the same code.
"""
