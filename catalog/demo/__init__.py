"""The demo data set: fixtures/demo.json, loaded by `manage.py load_demo` as often as you like.

The file is our own shape, not Django's fixture format: every row is named by its natural
identity (a TMDB id, a media id, a username), never by a primary key, so the same file
lands on the same rows in any database.

- `records`: typed reads of one JSON object of the file, each error naming its record.
- `reading`: the whole file checked and turned into unsaved instances (`read_demo`),
  before anything is written.
- `loading`: those instances synced into the database in one transaction (`write_demo`),
  with the importers' `catalog.importers.writing`, so a second load writes nothing.
"""
