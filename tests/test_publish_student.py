"""tools/publish_student.sh: the student edition on its own branch, one commit per publication, nothing else touched."""

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "tools" / "publish_student.sh"


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True, check=True).stdout.strip()


def test_publishes_the_notebooks_at_the_branch_root_and_appends_a_commit_per_change(tmp_path):
    repo = tmp_path / "book"
    (repo / "student").mkdir(parents=True)
    (repo / "chapters").mkdir()
    (repo / "chapters" / "01_a.ipynb").write_text('{"solution": true}')
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "add", "chapters")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "book")
    (repo / "student" / "01_a.ipynb").write_text('{"stub": 1}')
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
           "PATH": "/usr/bin:/bin"}

    def publish():
        return subprocess.run(["bash", SCRIPT], cwd=repo, capture_output=True, text=True, check=True, env=env).stdout

    assert "1 notebooks" in publish()
    assert git(repo, "ls-tree", "--name-only", "student-edition") == "01_a.ipynb"
    assert git(repo, "show", "student-edition:01_a.ipynb") == '{"stub": 1}'
    assert "already up to date" in publish()
    (repo / "student" / "01_a.ipynb").write_text('{"stub": 2}')
    publish()
    assert git(repo, "rev-list", "--count", "student-edition") == "2"
    assert git(repo, "status", "--porcelain") == "?? student/", "the working tree or index of main changed"
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"
