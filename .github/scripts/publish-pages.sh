#!/usr/bin/env bash
# Publish a built book to the branch GitHub Pages serves (gh-pages):
#
#   publish-pages.sh SITE .         the book from main, at the site's root (previews stay)
#   publish-pages.sh SITE pr-N      the preview of pull request N, at /REPO/pr-N/
#   publish-pages.sh --remove pr-N  take a closed pull request's preview down
#
# Run from a clone whose remote (REMOTE, default origin) may be pushed to. The
# branch is made on the first run. A push that loses a race with another
# publication is retried on the newer branch.
set -euo pipefail

remove=false
if [ "${1:-}" = "--remove" ]; then
    remove=true
    shift
    set -- "" "$@"
fi
site=${1:-}
folder=${2:-}
remote=${REMOTE:-origin}
branch=${PAGES_BRANCH:-gh-pages}

if [ "$folder" != "." ] && ! [[ "$folder" =~ ^pr-[0-9]+$ ]]; then
    echo "publish-pages.sh: the folder must be . (the book) or pr-N (a preview), not '$folder'" >&2
    exit 2
fi
if [ "$remove" = false ] && [ ! -f "$site/index.html" ]; then
    echo "publish-pages.sh: '$site' holds no index.html: build the book first (make book)" >&2
    exit 2
fi
if [ "$remove" = true ] && [ "$folder" = "." ]; then
    echo "publish-pages.sh: --remove takes a preview (pr-N), never the book" >&2
    exit 2
fi

publish_once() {
    local work parent=()
    work=$(mktemp -d)
    if git fetch --quiet --depth 1 "$remote" "$branch" 2>/dev/null; then
        git worktree add --quiet --detach "$work" FETCH_HEAD
        parent=(-p FETCH_HEAD)
    elif [ "$remove" = true ]; then
        echo "publish-pages.sh: there is no $branch branch, so no $folder to remove"
        rm -rf "$work"
        return 0
    else  # the first publication: a branch with no history
        git worktree add --quiet --detach "$work" HEAD
        git -C "$work" rm -r --quiet --force --ignore-unmatch .
    fi
    if [ "$folder" = "." ]; then
        # Everything but the previews and git's own file is the old book.
        find "$work" -mindepth 1 -maxdepth 1 ! -name .git ! -name 'pr-*' -exec rm -rf {} +
        cp -R "$site"/. "$work"/
    else
        rm -rf "${work:?}/$folder"
        if [ "$remove" = false ]; then
            mkdir -p "$work/$folder"
            cp -R "$site"/. "$work/$folder"/
        fi
    fi
    touch "$work/.nojekyll"  # serve _static/ and _images/ as they are
    git -C "$work" add --all
    local tree status=0 action=Publish
    tree=$(git -C "$work" write-tree)
    git worktree remove --force "$work"
    [ "$remove" = true ] && action=Remove
    if [ ${#parent[@]} -gt 0 ] && [ "$tree" = "$(git rev-parse 'FETCH_HEAD^{tree}')" ]; then
        echo "publish-pages.sh: $branch already holds this ($folder)"
        return 0
    fi
    local commit
    commit=$(git -c user.name="github-actions[bot]" \
        -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
        commit-tree "$tree" "${parent[@]}" -m "$action $folder${GITHUB_SHA:+ from $GITHUB_SHA}")
    git push --quiet "$remote" "$commit:refs/heads/$branch" || status=$?
    return "$status"
}

for attempt in 1 2 3 4 5; do
    if publish_once; then
        echo "publish-pages.sh: $branch updated ($folder)"
        exit 0
    fi
    echo "publish-pages.sh: the push was refused (attempt $attempt); trying again on the newer $branch" >&2
    sleep "$attempt"
done
echo "publish-pages.sh: could not push to $branch after 5 attempts" >&2
exit 1
