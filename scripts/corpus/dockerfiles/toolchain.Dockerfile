# toolchain: a runtime stage that installs the build toolchain and keeps it, for IM007 (what removing the
# toolchain gives back). Every package this install adds goes with the toolchain under apt's autoremove rules,
# so IM007's bytes must equal the bytes of all the packages the layer added (test/rules/image/toolchain-reclaim.test.ts).
FROM localhost/corpus/debian-base
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
