"""nbgrader's exchange files travel from submitted/ to autograded/ and feedback/, never through a link."""

from course.grading.session import EXCHANGE_FILE_LIMIT, exchange_files


def test_timestamp_and_secret_are_carried(tmp_path):
    (tmp_path / "timestamp.txt").write_text("2018-11-11 00:00:00.000000 UTC")
    (tmp_path / "submission_secret.txt").write_text("d11-secret")
    assert exchange_files(tmp_path) == {"timestamp.txt": b"2018-11-11 00:00:00.000000 UTC",
                                        "submission_secret.txt": b"d11-secret"}


def test_a_link_a_folder_or_a_huge_file_is_not_carried(tmp_path):
    secret = tmp_path / "gradebook.db"
    secret.write_text("not the trainee's to read")
    (tmp_path / "timestamp.txt").symlink_to(secret)
    (tmp_path / "submission_secret.txt").mkdir()
    assert exchange_files(tmp_path) == {}
    (tmp_path / "submission_secret.txt").rmdir()
    (tmp_path / "submission_secret.txt").write_bytes(b"x" * (EXCHANGE_FILE_LIMIT + 1))
    assert exchange_files(tmp_path) == {}


def test_a_missing_folder_carries_nothing(tmp_path):
    assert exchange_files(tmp_path / "gone") == {}


def test_a_linked_submission_folder_is_not_read_through(tmp_path):
    from course.grading.session import inside

    real = tmp_path / "classmate"
    real.mkdir()
    (real / "submission_secret.txt").write_text("the classmate's")
    (tmp_path / "submitted").mkdir()
    (tmp_path / "submitted" / "me").symlink_to(real)
    try:
        inside(tmp_path / "submitted", "me", "m00-orientation")
    except ValueError:
        pass
    else:
        raise AssertionError("inside() must refuse a path through a link")
