"""`course report`: a cohort report as one HTML file that opens offline (plots inlined as base64 PNG).

For each module: how many trainees submitted, in which edition (English, Indonesian: recorded
by ``course grade``), the grading statuses, the distribution of scores, the average share of
points per question, and who has not submitted. Across the course: the hardest questions
(lowest average share of points).
"""

from __future__ import annotations

import base64
import io
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from course.grading import gradebook, outcome
from course.templating import render as render_template


@dataclass
class Question:
    """One graded cell of a module across the cohort."""

    module: str
    name: str
    kind: str
    max_score: float
    scores: list[float] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        """Average share of the points earned (0-1), None when nobody submitted."""
        if not self.scores or not self.max_score:
            return None
        return statistics.fmean(self.scores) / self.max_score


@dataclass
class ModuleReport:
    """What the report says about one module."""

    name: str
    max_score: float
    scores: dict[str, float]
    missing: list[str]
    statuses: dict[str, int]
    questions: list[Question]
    editions: dict[str, int] = field(default_factory=dict)


def collect(db_url: str, course_id: str, modules: list[str] | None = None) -> list[ModuleReport]:
    """Read the gradebook (and the grading statuses) into one ModuleReport per module."""
    recorded = gradebook.statuses(db_url, course_id)
    languages = gradebook.editions(db_url, course_id)
    reports = []
    with gradebook.open_gradebook(db_url, course_id) as book:
        roster = sorted(student.id for student in book.students)
        for assignment in sorted(book.assignments, key=lambda a: a.name):
            if modules is not None and assignment.name not in modules:
                continue
            questions: dict[str, Question] = {}
            for notebook in assignment.notebooks:
                for cell in notebook.grade_cells:
                    kind = "autograded" if cell.cell_type == "code" else "written"
                    questions[cell.name] = Question(assignment.name, cell.name, kind, float(cell.max_score))
                for cell in notebook.task_cells:
                    questions[cell.name] = Question(assignment.name, cell.name, "written", float(cell.max_score))
            scores = {}
            for submission in assignment.submissions:
                scores[submission.student_id] = float(submission.score)
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.score is not None and grade.name in questions and \
                                not (grade.needs_manual_grade and grade.manual_score is None
                                     and grade.auto_score is None):
                            questions[grade.name].scores.append(float(grade.score))
            statuses: dict[str, int] = {}
            for student in scores:
                row = recorded.get((assignment.name, student))
                label = outcome.label(row["status"]) if row else "graded outside course grade"
                statuses[label] = statuses.get(label, 0) + 1
            editions: dict[str, int] = {}
            for student in scores:
                edition = edition_label(languages.get((assignment.name, student), ""))
                editions[edition] = editions.get(edition, 0) + 1
            reports.append(ModuleReport(assignment.name, float(assignment.max_score), scores,
                                        [student for student in roster if student not in scores], statuses,
                                        list(questions.values()), editions))
    return reports


EDITION_NAMES = {"en": "English (en)", "id": "Bahasa Indonesia (id)"}


def edition_label(value: str) -> str:
    """The words for a recorded edition ("" : not recorded, e.g. graded outside ``course grade``)."""
    if not value:
        return "not recorded"
    return " + ".join(EDITION_NAMES.get(part, part) for part in value.split("+"))


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _plots(module: ModuleReport) -> tuple[str, str]:
    """Base64 PNGs: the score distribution, and the average share of points per question."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 3))
    values = list(module.scores.values())
    bins = max(1, min(20, int(module.max_score) or 1))
    axis.hist(values, bins=bins, range=(0, module.max_score or 1), color="#c0392b", edgecolor="white")
    axis.set_title(f"{module.name}: scores of {len(values)} submission(s)")
    axis.set_xlabel(f"points (of {module.max_score:g})")
    axis.set_ylabel("trainees")
    distribution = _png(figure)
    plt.close(figure)

    questions = _answered(module.questions)
    figure, axis = plt.subplots(figsize=(6, 0.4 * max(len(questions), 2) + 1))
    axis.barh([q.name for q, _ in questions], [100 * share for _, share in questions],
              color=["#2e86c1" if q.kind == "autograded" else "#7d3c98" for q, _ in questions])
    axis.invert_yaxis()
    axis.set_xlim(0, 100)
    axis.set_title(f"{module.name}: average share of points per question")
    axis.set_xlabel("share of the question's points earned (%)")
    per_question = _png(figure)
    plt.close(figure)
    return distribution, per_question


def _answered(questions: list[Question]) -> list[tuple[Question, float]]:
    """The questions that have a share (someone was graded on them), each with its share."""
    return [(q, share) for q in questions if (share := q.share) is not None]


STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
th{background:#f4f4f4}.num{text-align:right}img{max-width:100%}h2{border-bottom:2px solid #c0392b}"""


def render(reports: list[ModuleReport], title: str = "Double Eleven: cohort report", hardest: int = 5) -> str:
    """The report as a self-contained HTML page (course/templates/grading/report.html.j2)."""
    ranked = sorted(_answered([q for r in reports for q in r.questions]), key=lambda pair: pair[1])
    modules = []
    for module in reports:
        values = list(module.scores.values())
        view = {"report": module, "scores": values}
        if values:
            distribution, per_question = _plots(module)
            view |= {"median": statistics.median(values), "mean": statistics.fmean(values),
                     "distribution": distribution, "per_question": per_question}
        modules.append(view)
    return render_template("grading/report.html.j2", title=title, style=STYLE,
                           made=f"{datetime.now(UTC):%Y-%m-%d %H:%M}", limit=hardest, hardest=ranked[:hardest],
                           modules=modules)


def write_report(db_url: str, course_id: str, output: Path, modules: list[str] | None = None) -> Path:
    """Write the cohort report to ``output`` and return its path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(collect(db_url, course_id, modules)), encoding="utf-8")
    return output
