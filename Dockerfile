# ballast in a container. With no command it lints the Dockerfile on stdin, as hadolint's image does; otherwise
# mount the files to check at /work (the working directory):
#   docker build -t ballast .
#   docker run --rm -i ballast < Dockerfile
#   docker run --rm -v "$PWD:/work:ro" ballast lint Dockerfile
#   docker run --rm -v "$PWD:/work:ro" ballast analyze image.tar --dockerfile Dockerfile
# The build stage compiles the TypeScript with the dev dependencies; the final stage gets the package exactly as
# `npm pack` makes it plus its production dependencies, in one layer, and runs as an unprivileged user.
# NODE_IMAGE: any image with Node.js >= 20 whose npm is on PATH, laid out like the official node images (user 1000);
# scripts/build-node-base.sh makes one from Debian packages for machines that cannot pull from Docker Hub.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# Dependencies first, so editing the sources does not reinstall them. --ignore-scripts: `prepare` would build
# sources that are not copied yet, and the optional native zstd addon would need a compiler (fzstd decodes instead).
# npm's download cache lives in a build cache mount, never in a layer.
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json README.md LICENSE ./
COPY bin/ bin/
COPY schema/ schema/
COPY rules/ rules/
COPY src/ src/
# The build inlines the HTML report's script and styles (d3-hierarchy, page.js/page.css) into the compiled reporter,
# makes the compiled rules one module (scripts/bundle-rules.js: a cold start loads half as many files) and writes
# oclif.manifest.json (the commands' flags, so a run imports only the command it runs).
COPY scripts/embed-assets.js scripts/bundle-rules.js scripts/oclif-manifest.js scripts/
# The package's own file list (package.json `files`) decides what ships, as for `npm install -g`; then the
# production dependencies join it, and `ballast` is put on PATH. sql.js (read rpm databases) ships 30 MB of builds
# (asm.js, debug, browser, worker, zips); Node loads only its main entry, sql-wasm.js, and sql-wasm.wasm.
RUN npm run build \
 && npm pack --ignore-scripts --silent --pack-destination /tmp \
 && mkdir /opt/ballast \
 && tar -xzf /tmp/ballast-*.tgz -C /opt/ballast --strip-components=1 --no-same-owner \
 && npm prune --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && find node_modules/sql.js/dist -type f ! -name sql-wasm.js ! -name sql-wasm.wasm -delete \
 && mv node_modules /opt/ballast/ \
 && ln -s run.js /opt/ballast/bin/ballast

FROM ${NODE_IMAGE}
COPY --from=build /opt/ballast /opt/ballast
ENV PATH=/opt/ballast/bin:$PATH
WORKDIR /work
USER 1000:1000
ENTRYPOINT ["/opt/ballast/bin/ballast"]
# hadolint's documented `docker run --rm -i hadolint/hadolint < Dockerfile` keeps working with this image's name:
# a CI job moved over lints its Dockerfile instead of printing help and passing. Without -i stdin is empty, and
# `lint -` says so (exit 2) with the -i form and --help.
CMD ["lint", "-"]
