"""nbgrader's global configuration on the hub: copy to /etc/jupyter/nbgrader_config.py (deploy/tljh/install.sh does).

Every server reads it: the trainees' (the Assignments tab fetches and submits through the exchange) and the
grader service's (release and collect). One course per hub; trainees need no course folder of their own.
"""

c = get_config()  # noqa: F821 (provided by traitlets when Jupyter loads this file)

c.CourseDirectory.course_id = "double-eleven"
# The file exchange: one folder every account can write into but not list (nbgrader's own default path).
# Each trainee is a UNIX account of their own (TLJH makes jupyter-<name>), so submissions keep their owner.
c.Exchange.root = "/srv/nbgrader/exchange"
