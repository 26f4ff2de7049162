"""The pages measured by tests/test_query_budgets.py, per app, with the rows they need; the
``<app>.json`` files next to them are the committed snapshots of their query counts.

Each ``<app>.py`` defines ``PAGES`` (a list of ``pages.Page``) and a ``World``: made inside the
test's database, it creates the users (``World.users``, by the key a page names) and the objects
the pages' URLs point at, through the apps' services as the application makes them;
``World.grow(count)`` then adds ``count`` more of every row the pages list or hold. The test calls
``grow(3)``, measures, ``grow(27)``, measures again.
"""
