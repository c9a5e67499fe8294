"""The instructors' grading workflow on nbgrader and Dask: `course grade`, `course export`, `course report`.

One job per module:

- ``outcome``: the one status type (:class:`~course.grading.outcome.Status`) and the result of a submission;
- ``tasks``: the unit of work as data (:class:`~course.grading.tasks.GradeTask`, module files, worker settings);
- ``submissions``: find submissions in submitted/ (links refused, unsafe trainee ids refused) and read their
  notebooks, size-bounded, on the client;
- ``repair``: restore what can be restored in a submitted notebook before nbgrader sees it, and say what;
- ``sandbox`` and ``launch``: limits, environment, private working folder and (as root) an account, private
  mount and PID namespaces and private temporary folders for every kernel;
- ``execute``: nbgrader's Execute and sanitizers, subclassed to survive fatal cells, note tampering in a
  journal, and bound outputs;
- ``worker``: what a Dask worker does with one task (private course, nbgrader autograde and feedback);
- ``engine``: the Dask client and (by default) local cluster: submit tasks, retries, deadlines from outside;
- ``session``: the client's side of a run, the only writer of the gradebook, autograded/ and feedback/;
- ``gradebook``: module templates, the one writer of the course's gradebook, the status table;
- ``runner``: one run of ``course grade`` from start to summary;
- ``export`` and ``report``: the LMS CSV and the cohort report;
- ``cli``: the three subcommands.

nbgrader is reached through :mod:`course.nbgrader_api`. See docs/grading.md for the instructors' guide.
"""
