"""The instructors' grading workflow on nbgrader: `course grade`, `course export`, `course report`.

One job per module:

- ``submissions``: find submissions in submitted/ and sort out missing, renamed and unreadable notebooks;
- ``sandbox`` and ``launch``: limits, environment and (as root) an account of its own for every kernel;
- ``execute``: nbgrader's Execute and sanitizers, subclassed to survive fatal cells and note tampering;
- ``worker``: autograde one submission (or make one feedback) in a spawned worker process;
- ``gradebook``: module templates, the one writer of the course's gradebook, the status table;
- ``runner``: the parallel run, its progress and summary;
- ``export`` and ``report``: the LMS CSV and the cohort report;
- ``cli``: the three subcommands.

See docs/grading.md for the instructors' guide.
"""
