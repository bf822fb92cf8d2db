"""The site branch: the built site as a single commit, pushed only when it changed, never
smaller than the live site unless asked.

The branch holds one commit whose tree is the site (plus `.nojekyll`); each deploy replaces
it with a lease on the commit it replaces, so two publishes cannot overwrite each other
unseen. Only objects the remote lacks are sent: the live site's tip is fetched first
without history, which makes the clone shallow, and git then counts every tree the remote
advertises as already there (an orphan commit would otherwise send the whole site again).
The commit message names the archive commit the site was built from (`Archive: <sha>`),
which tells the next publish whether the live site is up to date.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from generator.errors import DeployError
from generator.gitrepo import EMPTY_TREE, GitRepo
from generator.pages import BRIEFS

ARCHIVE_TRAILER = "Archive: "
_SITE_BRIEF = re.compile(rf"^{BRIEFS}/\d{{4}}/\d\d/\d\d/(?!index\.html)[^/]+/index\.html$")


class ShrinkError(DeployError):
    """The new site holds fewer briefs than the live one."""


def site_tree(repo: GitRepo, site_dir: Path) -> str:
    """Return the tree of the built site, with `.nojekyll` (GitHub Pages serves it as is)."""
    if not (site_dir / "index.html").is_file():
        raise DeployError(f"{site_dir} has no index.html; run `invoke build` first")
    index = repo.index("site", site_dir)
    repo.stage(site_dir, index, ["."])
    empty = repo.blob("")
    repo.run("update-index", "--add", "--cacheinfo", f"100644,{empty},.nojekyll", index=index)
    return repo.run("write-tree", index=index).strip()


def count_briefs(repo: GitRepo, tree: str | None) -> int:
    """Return how many brief pages a site tree holds (briefs/YYYY/MM/DD/<segment>/)."""
    if tree is None or tree == EMPTY_TREE:
        return 0
    return sum(1 for e in repo.ls_tree(tree, BRIEFS) if _SITE_BRIEF.match(e.path))


def built_from(repo: GitRepo, site_commit: str | None) -> str | None:
    """Return the archive commit a deployed site names, or None."""
    if site_commit is None:
        return None
    for line in repo.message(site_commit).splitlines():
        if line.startswith(ARCHIVE_TRAILER):
            return line.removeprefix(ARCHIVE_TRAILER).strip()
    return None


def deploy_site(repo: GitRepo, tree: str, *, remote: str, branch: str, live: str | None,
                archive: str | None, message: str, when: datetime,
                allow_shrink: bool = False) -> str | None:
    """Push `tree` as the single commit of `branch`; return it, or None when the live site
    already is that tree and names the same archive commit.

    A tree with fewer briefs than the live site is refused unless `allow_shrink`.
    """
    live_tree = repo.tree(live) if live else None
    if live_tree == tree and built_from(repo, live) == archive:
        return None
    new, old = count_briefs(repo, tree), count_briefs(repo, live_tree)
    if new < old and not allow_shrink:
        raise ShrinkError(f"the new site holds {new} briefs and the live one on {remote} "
                          f"({branch}) {old}: refusing to deploy a smaller site; find out why "
                          "briefs are missing, or pass --allow-shrink to deploy it anyway")
    text = message + (f"\n\n{ARCHIVE_TRAILER}{archive}\n" if archive else "\n")
    commit = repo.commit(tree, [], text, when)
    repo.push(remote, commit, branch, lease=live or "", force=True)
    return commit
