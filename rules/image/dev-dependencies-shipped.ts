// IM008: development-only dependencies in the final image: Node test/build tooling in node_modules, Python
// test tools in site-packages. A package is judged by name (the lockfile's dev flag is not in the image).
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';
import { codeSpan } from '../../src/report/code-span.js';

const NODE_DEV =
  /^(typescript|ts-node|ts-jest|jest|@jest\/.*|mocha|chai|sinon|nyc|eslint|@eslint\/.*|eslint-.*|@typescript-eslint\/.*|prettier|webpack|webpack-cli|rollup|esbuild|vite|@babel\/core|@babel\/preset-.*|nodemon|@types\/.*|vitest|karma|cypress|playwright|puppeteer)$/;
const PY_DEV =
  /^(pytest|pytest[-_].*|coverage|tox|nox|black|flake8|pylint|mypy|ruff|isort|ipython|jupyter.*|sphinx|hypothesis)$/i;

export const rule = defineImageRule({
  meta: imageMeta({
    code: 'IM008',
    name: 'dev-dependencies-shipped',
    type: 'size',
    summary: 'Install production dependencies only in the final image',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      node: 'development packages in node_modules ({{names}}; {{bytes}}) ship in {{layer}}; install with `npm ci --omit=dev` (or prune) in a build stage.',
      python:
        'development Python packages ({{names}}; {{bytes}}) ship in the image; keep test and lint tools out of the runtime requirements.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end(facts) {
        const node = facts.packages.packages.filter(
          (p) => p.manager === 'node' && NODE_DEV.test(p.name) && p.bytes > 0,
        );
        if (node.length) {
          const bytes = node.reduce((s, p) => s + p.bytes, 0);
          const where = node[0].location ? facts.finalFile(`${node[0].location}/package.json`) : undefined;
          ctx.report({
            messageId: 'node',
            layerIndex: where?.layer,
            path: node[0].location
              ? `/${node[0].location.slice(0, node[0].location.lastIndexOf('node_modules') + 12)}`
              : undefined,
            bytes,
            data: {
              names:
                node
                  .slice(0, 5)
                  .map((p) => codeSpan(p.name))
                  .join(', ') + (node.length > 5 ? ` and ${node.length - 5} more` : ''),
              bytes: bytesText(bytes),
              layer: layerLabel(where ? facts.layers[where.layer] : undefined),
            },
          });
        }
        const py = facts.packages.packages.filter((p) => p.manager === 'python' && PY_DEV.test(p.name) && p.bytes > 0);
        if (py.length) {
          const bytes = py.reduce((s, p) => s + p.bytes, 0);
          ctx.report({
            messageId: 'python',
            bytes,
            data: {
              names: py
                .slice(0, 5)
                .map((p) => codeSpan(p.name))
                .join(', '),
              bytes: bytesText(bytes),
            },
          });
        }
      },
    };
  },
});
