"""The browser face: ``poplab web`` serves the terminal tutor with textual-serve, one confined tutor process per
browser (:mod:`poplab.web.tutor_site`, :mod:`poplab.web.tutor_process`, :mod:`poplab.web.confine`); with a
classroom, a login page in front (:mod:`poplab.web.class_login`). The JupyterHub deployment lives in the top-level
``deploy/`` folder."""
