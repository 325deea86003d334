#!/usr/bin/env bash
# Commit the student edition (student/, made by `make student`) to its own branch, for a hub's nbgitpuller links.
# Usage: bash tools/publish_student.sh [BRANCH]   (default: student-edition; `make publish-student`)
# The branch holds only the student notebooks, at its root, one commit per publication on top of the last
# (nbgitpuller merges new commits into each student's copy and keeps the student's own edits). Nothing else in
# the repository changes: the commit is made from a temporary index. Push it yourself: git push origin BRANCH.
set -euo pipefail
branch=${1:-student-edition}
cd "$(git rev-parse --show-toplevel)"
[ -n "$(ls student/*.ipynb 2>/dev/null)" ] || { echo "no student edition: run make student" >&2; exit 1; }
index=$(mktemp)
trap 'rm -f "$index"' EXIT
export GIT_INDEX_FILE=$index
git read-tree --empty
for notebook in student/*.ipynb; do
  blob=$(git hash-object -w "$notebook")
  git update-index --add --cacheinfo 100644 "$blob" "$(basename "$notebook")"
done
tree=$(git write-tree)
parent=$(git rev-parse -q --verify "refs/heads/$branch" || true)
if [ -n "$parent" ] && [ "$(git rev-parse "$parent^{tree}")" = "$tree" ]; then
  echo "$branch is already up to date ($(git rev-parse --short "$parent"))"
  exit 0
fi
source_commit=$(git rev-parse --short HEAD)
commit=$(git commit-tree "$tree" ${parent:+-p "$parent"} -m "Student edition of $source_commit")
git update-ref "refs/heads/$branch" "$commit"
echo "$branch -> $(git rev-parse --short "$commit"): $(git ls-tree --name-only "$commit" | wc -l) notebooks (git push origin $branch)"
