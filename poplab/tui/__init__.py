"""The terminal tutor: a Textual app that runs the bundled teaching server and explains every line a learner
exchanges with it (or with any other POP3 server).

Only this package imports Textual. The logic lives in Textual-free modules — :mod:`lab` (server and connection),
:mod:`conductor` (what the tutor does), :mod:`feed` and :mod:`entries` (the annotated transcript), :mod:`mailbox`
(the server-side view), :mod:`lessons` and :mod:`tour` (the guided tour) — and :mod:`widgets` and :mod:`screens`
render it. Importing this package imports nothing from Textual; :func:`poplab.tui.app.TutorApp` does.
"""
