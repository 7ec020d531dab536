// The pull-request preview (preview.yml), run by actions/github-script after the
// Book workflow. Two steps: `find` works out which pull request the run built
// and how its build job ended; `comment` writes (or updates) one comment there.
// tests/test_preview_script.py runs both on made-up API replies with Node.

// The build job's name in book.yml: its result, not the workflow's, says whether
// the book built (the links job can fail while the book is fine).
const BUILD_JOB = 'Test, execute every notebook, build the book';
const MARKER = '<!-- book-preview -->';

// The open pull request whose head is the run's commit. A run from a branch of
// this repository lists it in workflow_run.pull_requests; a run from a fork lists
// none, so look it up by the fork's owner and branch, then check the commit.
async function pullRequest(github, context, run) {
  const listed = (run.pull_requests || []).find(p => p.head.sha === run.head_sha);
  if (listed) return listed.number;
  const { owner, repo } = context.repo;
  const head = `${run.head_repository.owner.login}:${run.head_branch}`;
  const open = await github.paginate(github.rest.pulls.list, { owner, repo, state: 'open', head });
  const found = open.find(p => p.head.sha === run.head_sha && p.head.repo
    && p.head.repo.full_name === run.head_repository.full_name);
  return found ? found.number : null;
}

async function buildJob(github, context, run) {
  const { owner, repo } = context.repo;
  const jobs = await github.paginate(github.rest.actions.listJobsForWorkflowRun,
    { owner, repo, run_id: run.id, filter: 'latest' });
  const job = jobs.find(j => j.name === BUILD_JOB);
  return job ? { result: job.conclusion || 'unknown', url: job.html_url }
    : { result: 'not run', url: run.html_url };
}

async function find({ github, context, core }) {
  const run = context.payload.workflow_run;
  const pr = await pullRequest(github, context, run);
  const build = await buildJob(github, context, run);
  core.info(`pull request: ${pr || 'none'}; build job: ${build.result}`);
  core.setOutput('pr', pr ? String(pr) : '');
  core.setOutput('build', build.result);
  core.setOutput('build-url', build.url);
  return { pr, build };
}

// Where GitHub Pages serves this repository's site (a custom domain included).
async function siteUrl(github, context) {
  const { owner, repo } = context.repo;
  try {
    const { data } = await github.rest.repos.getPages({ owner, repo });
    return data.html_url.endsWith('/') ? data.html_url : `${data.html_url}/`;
  } catch (error) {
    return repo.toLowerCase() === `${owner.toLowerCase()}.github.io`
      ? `https://${owner.toLowerCase()}.github.io/` : `https://${owner.toLowerCase()}.github.io/${repo}/`;
  }
}

function body({ sha, build, buildUrl, preview, published }) {
  const commit = sha.slice(0, 7);
  if (build !== 'success') {
    return `${MARKER}\n**No book preview** for ${commit}: the build job's result is ` +
      `**${build}** ([log](${buildUrl})). The log names the notebook and cell that failed.`;
  }
  if (published !== 'success') {
    return `${MARKER}\n**No book preview** for ${commit}: the book built ([log](${buildUrl})), ` +
      `but publishing the preview failed (${published}).`;
  }
  return `${MARKER}\n**Book preview** for ${commit}: ${preview} ` +
    '(the build job passed: every notebook in it ran without error). ' +
    'It is taken down when the pull request closes.';
}

async function comment({ github, context, pr, build, buildUrl, published }) {
  const { owner, repo } = context.repo;
  const run = context.payload.workflow_run;
  const preview = `${await siteUrl(github, context)}pr-${pr}/`;
  const text = body({ sha: run.head_sha, build, buildUrl, preview, published });
  const comments = await github.paginate(github.rest.issues.listComments,
    { owner, repo, issue_number: Number(pr) });
  const old = comments.find(c => (c.body || '').includes(MARKER));
  if (old) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: old.id, body: text });
  } else {
    await github.rest.issues.createComment({ owner, repo, issue_number: Number(pr), body: text });
  }
  return text;
}

module.exports = { BUILD_JOB, find, comment };
