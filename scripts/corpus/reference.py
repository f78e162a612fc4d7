#!/usr/bin/env python3
"""Reference numbers for the corpus tests, measured from the bytes of an image with Python's tarfile (and the
zstd command for zstd layers), sharing no code with ballast.

usage: reference.py [--json FILE] [--ref NAME] ARTIFACT

ARTIFACT is an OCI image layout directory, an OCI archive, or a docker-archive / `docker save` tar. For each image
in it (every platform of an index, every image of a multi-image save) it reports:

  per layer    stored (compressed) size; uncompressed size = bytes of the layer tar stream, headers and padding
               included (what the diff_id hashes) and whether its sha256 equals the config's diff_id; tar entries,
               regular files and their bytes (a hard link has no bytes of its own), directories, symlinks, hard
               links, other entries, whiteouts and opaque whiteouts
  final fs     the layers applied in order: a `.wh.NAME` entry removes NAME and everything below it from the
               layers underneath; `.wh..wh..opq` empties its directory of what the layers underneath put there; a
               layer's whiteouts never touch that layer's own entries; a directory over a directory merges, any
               other entry replaces what was at its path; directory symlinks in a path are followed
  hard links   a hard link is one more name for its target's bytes (an inode), also for a target in a lower layer:
               the bytes stay in the final fs (counted once, as a regular file under the oldest live name) while any
               name of them is left; when the last name goes, they are wasted once, in the layer that wrote them,
               with the cause of that last removal. A link to a missing target, a directory or a symlink holds no
               bytes.
  wasted       every regular-file byte of a layer that is not in the final fs, counted once, in the layer that
               holds it, by cause: deleted (a whiteout, an opaque directory, or a directory above it replaced by a
               non-directory), overwritten_changed (a later entry at its path with other content or another type),
               overwritten_same_content (a later regular file at its path with identical bytes: mode, owner or
               mtime copies). Always: file bytes of all layers == final-fs file bytes + wasted.
  duplicates   regular non-empty files of the final fs with identical content: sum of (copies - 1) * size
  junk         final-fs files in the classes below (a file may be in several)

Exits 1 (with the reason) when the artifact cannot be read or the invariant above does not hold.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import posixpath
import subprocess
import sys
import tarfile
import threading

BLOCK = 1 << 20
TOP = 15
JUNK = {
    "apt_lists": lambda p: p.startswith("var/lib/apt/lists/"),
    "apt_cache": lambda p: p.startswith("var/cache/apt/"),
    "git_dirs": lambda p: p.startswith(".git/") or "/.git/" in "/" + p,
    "node_modules": lambda p: "/node_modules/" in "/" + p + "/",
    "python_bytecode": lambda p: p.endswith(".pyc") or "/__pycache__/" in "/" + p,
    "docs_man_info": lambda p: any(p.startswith("usr/share/%s/" % d) for d in ("doc", "man", "info")),
    "tmp_dirs": lambda p: p.startswith("tmp/") or p.startswith("var/tmp/"),
    "home_caches": lambda p: p.startswith("root/.cache/") or p.startswith("root/.npm/") or "/.cache/" in p,
    "logs": lambda p: p.startswith("var/log/"),
    "dotenv_files": lambda p: p.rsplit("/", 1)[-1] == ".env",
}


def clean(name):
    """A tar member name as a path relative to the root, without ./ or slashes at either end ('' is the root)."""
    while name.startswith("./"):
        name = name[2:]
    name = name.strip("/")
    return "" if name == "." else name


def fail(message):
    sys.stderr.write("reference.py: %s\n" % message)
    sys.exit(1)


# ---------------------------------------------------------------------------------------------------- reading


class Measured(io.RawIOBase):
    """A readable stream that counts and hashes what passes through it."""

    def __init__(self, inner):
        self.inner = inner
        self.count = 0
        self.sha = hashlib.sha256()

    def readable(self):
        return True

    def readinto(self, buf):
        data = self.inner.read(len(buf))
        n = len(data)
        buf[:n] = data
        self.count += n
        self.sha.update(data)
        return n

    def finish(self):
        while self.read(BLOCK):
            pass


class Zstd(io.RawIOBase):
    """Decompresses a stream with the zstd command; a thread feeds it so that neither side blocks."""

    def __init__(self, inner):
        self.proc = subprocess.Popen(["zstd", "-d", "-c", "-q"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.feeder = threading.Thread(target=self._feed, args=(inner,), daemon=True)
        self.feeder.start()

    def _feed(self, inner):
        try:
            for chunk in iter(lambda: inner.read(BLOCK), b""):
                self.proc.stdin.write(chunk)
        except BrokenPipeError:
            pass
        finally:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass

    def readable(self):
        return True

    def readinto(self, buf):
        data = self.proc.stdout.read(len(buf))
        buf[: len(data)] = data
        if not data:
            self.feeder.join()
            if self.proc.wait() != 0:
                fail("zstd could not decompress a layer")
        return len(data)


def uncompressed(blob):
    """(stream of the layer tar, compression name) for a stored layer blob, recognised by its magic bytes."""
    buffered = io.BufferedReader(blob, BLOCK) if not hasattr(blob, "peek") else blob
    head = buffered.peek(4)[:4]
    if head[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=buffered, mode="rb"), "gzip"
    if head == b"\x28\xb5\x2f\xfd":
        return io.BufferedReader(Zstd(buffered), BLOCK), "zstd"
    return buffered, "none"


class Layout:
    """An OCI image layout directory."""

    format = "oci-layout"

    def __init__(self, root):
        self.root = root

    def _path(self, digest):
        algorithm, hexdigest = digest.split(":", 1)
        return os.path.join(self.root, "blobs", algorithm, hexdigest)

    def json_file(self, name):
        with open(os.path.join(self.root, name), "rb") as f:
            return json.load(f)

    def json_blob(self, digest):
        with open(self._path(digest), "rb") as f:
            return json.load(f)

    def blob(self, digest):
        return open(self._path(digest), "rb"), os.path.getsize(self._path(digest))


class Archive:
    """A tar holding an image: an OCI archive (index.json) or a docker-archive (manifest.json). Members that are
    links (docker save's <id>/layer.tar) are followed to the member holding the bytes."""

    def __init__(self, path):
        self.tar = tarfile.open(path, "r:")
        self.members = {clean(m.name): m for m in self.tar.getmembers()}
        self.format = "docker-archive" if "manifest.json" in self.members else "oci-archive" if "index.json" in self.members else None

    def _resolve(self, name, hops=0):
        member = self.members.get(clean(posixpath.normpath(name)))
        if member is None or hops > 20:
            fail("the archive has no member %s" % name)
        if member.issym():
            return self._resolve(posixpath.join(posixpath.dirname(clean(member.name)), member.linkname), hops + 1)
        if member.islnk():
            return self._resolve(member.linkname, hops + 1)
        return member

    def open(self, name):
        member = self._resolve(clean(name))
        return self.tar.extractfile(member), member.size

    def json_file(self, name):
        f, _ = self.open(name)
        with f:
            return json.load(f)

    def json_blob(self, digest):
        return self.json_file("blobs/" + digest.replace(":", "/", 1))

    def blob(self, digest):
        return self.open("blobs/" + digest.replace(":", "/", 1))


def open_artifact(path):
    if os.path.isdir(path):
        return Layout(path)
    try:
        archive = Archive(path)
    except (OSError, tarfile.TarError) as e:
        fail("%s: not a readable tar (%s)" % (path, e))
    if archive.format is None:
        fail("%s: neither an OCI layout or archive nor a docker-archive" % path)
    return archive


def images(artifact, only_ref=None):
    """Every image of the artifact: dicts with ref, platform, digests, config and layer handles."""
    if artifact.format == "docker-archive":
        for n, entry in enumerate(artifact.json_file("manifest.json") or []):
            tags = entry.get("RepoTags") or []
            if only_ref and only_ref not in tags:
                continue
            f, _ = artifact.open(entry["Config"])
            with f:
                raw = f.read()
            config = json.loads(raw)
            yield {
                "ref": ",".join(tags) or "#%d" % n,
                "platform": "%s/%s" % (config.get("os", "?"), config.get("architecture", "?")),
                "manifest_digest": None,
                "manifest_media_type": None,
                "config_digest": "sha256:" + hashlib.sha256(raw).hexdigest(),
                "config": config,
                "layers": [(name, "tar (docker-archive)", lambda name=name: artifact.open(name)) for name in entry["Layers"]],
            }
        return
    def manifests(descriptor, platform):
        """The image manifests under a descriptor, depth first in index order, with the platform the index gives."""
        doc = artifact.json_blob(descriptor["digest"])
        if "manifests" not in doc:
            yield descriptor, doc, platform
            return
        for child in doc["manifests"]:
            p = child.get("platform")
            yield from manifests(child, "/".join(x for x in (p["os"], p["architecture"], p.get("variant")) if x) if p else platform)

    for top in artifact.json_file("index.json").get("manifests") or []:
        ref = (top.get("annotations") or {}).get("org.opencontainers.image.ref.name")
        if only_ref and ref != only_ref:
            continue
        for descriptor, doc, platform in manifests(top, None):
            config = artifact.json_blob(doc["config"]["digest"])
            yield {
                "ref": ref,
                "platform": platform or "%s/%s" % (config.get("os", "?"), config.get("architecture", "?")),
                "manifest_digest": descriptor["digest"],
                "manifest_media_type": descriptor.get("mediaType") or doc.get("mediaType"),
                "config_digest": doc["config"]["digest"],
                "config": config,
                "layers": [(d["digest"], d.get("mediaType"), lambda d=d: artifact.blob(d["digest"])) for d in doc["layers"]],
            }


# ---------------------------------------------------------------------------------------------------- the union


class Inode:
    """The bytes of a regular file and the names they have in the union (insertion ordered: the oldest holds them)."""

    def __init__(self, size, sha, layer):
        self.size, self.sha, self.layer = size, sha, layer
        self.names = {}


class Union:
    """The merged filesystem. `entries` maps a path to (type, size, sha256, layer, inode) where inode is the Inode
    of a regular file or of the file a hard link names (None for anything else); `dirs` maps every directory
    (the root '' included) to the names of its children, so removing a subtree never scans all paths."""

    def __init__(self):
        self.entries = {}
        self.dirs = {"": set()}
        self.losses = []  # (layer holding the bytes, size, cause, path, layer that hid them)

    def _lose(self, path, entry, cause, by):
        kind, size, _, layer, inode = entry
        if inode is not None:
            inode.names.pop(path, None)
            if inode.names:
                return  # another name keeps the bytes
            kind, size, layer = "file", inode.size, inode.layer
        if kind == "file" and size > 0:
            self.losses.append((layer, size, cause, path, by))

    def _real_dir(self, path, hops=0):
        """The directory path with every symlink among its components followed, inside the root."""
        done = ""
        for part in path.split("/") if path else []:
            candidate = part if not done else done + "/" + part
            entry = self.entries.get(candidate)
            if entry is not None and entry[0] == "symlink" and hops < 40:
                target = entry[2]
                base = "/" if target.startswith("/") else "/" + done
                candidate = self._real_dir(clean(posixpath.normpath(posixpath.join(base, target))), hops + 1)
            done = candidate
        return done

    def _real(self, path):
        parent, name = posixpath.split(path)
        real_parent = self._real_dir(parent)
        return posixpath.join(real_parent, name) if real_parent else name

    def _drop(self, path, top_cause, below_cause, by, keep_top=False):
        """Removes path and everything below it; the entry at path is lost with top_cause, the rest with below_cause."""
        stack = [path]
        while stack:
            p = stack.pop()
            stack.extend(self.dirs.pop(p, ()))
            if p == path and keep_top:
                continue
            entry = self.entries.pop(p, None)
            if entry is not None:
                self._lose(p, entry, top_cause if p == path else below_cause, by)
        if keep_top:
            self.dirs[path] = set()
        else:
            self.dirs.get(posixpath.dirname(path), set()).discard(path)

    def whiteout(self, path, layer):
        path = self._real(path)
        if path in self.entries or path in self.dirs:
            self._drop(path, "deleted", "deleted", layer)

    def opaque(self, path, layer):
        path = self._real_dir(path)
        if path in self.dirs:
            self._drop(path, None, "deleted", layer, keep_top=True)

    def _make_parents(self, path, layer):
        """Directories the tar did not list but an entry below them needs; a non-directory in the way is replaced."""
        if path in self.dirs:
            return
        parent = posixpath.dirname(path)
        self._make_parents(parent, layer)
        old = self.entries.get(path)
        if old is not None:
            self._lose(path, old, "overwritten_changed", layer)
        self.entries[path] = ("dir", 0, None, layer, None)
        self.dirs[path] = set()
        self.dirs[parent].add(path)

    def add(self, path, kind, size, sha, link, layer):
        path = self._real(path)
        old = self.entries.get(path)
        if old is not None:
            if old[0] == "dir" and kind == "dir":
                self.entries[path] = ("dir", 0, None, layer, None)  # directories merge: what is below stays
                return
            if old[0] == "dir":
                self._drop(path, "overwritten_changed", "deleted", layer)
            else:
                same = old[0] == "file" and kind == "file" and old[2] == sha
                self._lose(path, old, "overwritten_same_content" if same else "overwritten_changed", layer)
                del self.entries[path]
        parent = posixpath.dirname(path)
        self._make_parents(parent, layer)
        self.dirs[parent].add(path)
        inode = None
        if kind == "file":
            inode = Inode(size, sha, layer)
        elif kind == "hardlink":
            target = self.entries.get(self._real(clean(posixpath.normpath(link))))
            inode = target[4] if target is not None else None
        if inode is not None:
            inode.names[path] = None
        # a symlink keeps its target in the sha slot: only files compare content, only symlinks are followed
        self.entries[path] = (kind, size, link if kind == "symlink" else sha, layer, inode)
        if kind == "dir":
            self.dirs.setdefault(path, set())


# ---------------------------------------------------------------------------------------------------- measuring


def kind_of(member):
    if member.isreg():
        return "file"
    if member.isdir():
        return "dir"
    if member.issym():
        return "symlink"
    if member.islnk():
        return "hardlink"
    return "other"


PLURAL = {"file": "regular_files", "dir": "dirs", "symlink": "symlinks", "hardlink": "hardlinks", "other": "other"}


def read_layer(stream):
    """Counts of one layer tar and its changes in order: ('whiteout'|'opaque', path) and entries to add."""
    counts = dict.fromkeys(["entries", "regular_files", "regular_bytes", "dirs", "symlinks", "hardlinks", "other", "whiteouts", "opaque_whiteouts"], 0)
    removals, additions = [], []
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for member in tar:
            counts["entries"] += 1
            path = clean(member.name)
            parent, name = posixpath.split(path)
            if name == ".wh..wh..opq":
                counts["opaque_whiteouts"] += 1
                removals.append(("opaque", parent))
                continue
            if name.startswith(".wh."):
                counts["whiteouts"] += 1
                removals.append(("whiteout", posixpath.join(parent, name[len(".wh."):])))
                continue
            kind = kind_of(member)
            counts[PLURAL[kind]] += 1
            size, sha = 0, None
            if kind == "file":
                size = member.size
                counts["regular_bytes"] += size
                digest = hashlib.sha256()
                data = tar.extractfile(member)
                for chunk in iter(lambda: data.read(BLOCK), b""):
                    digest.update(chunk)
                sha = digest.hexdigest()
            if path:
                additions.append((path, kind, size, sha, member.linkname))
    return counts, removals, additions


def measure(artifact, image):
    config = image["config"]
    diff_ids = (config.get("rootfs") or {}).get("diff_ids") or []
    history = [h for h in config.get("history") or [] if not h.get("empty_layer")]
    union = Union()
    layers = []
    for n, (blob_id, media_type, open_blob) in enumerate(image["layers"]):
        blob, stored = open_blob()
        with blob:
            stream, compression = uncompressed(blob)
            measured = Measured(stream)
            counts, removals, additions = read_layer(io.BufferedReader(measured, BLOCK))
            measured.finish()
        diff_id = "sha256:" + measured.sha.hexdigest()
        # the layer's whiteouts act on the layers below it, so before its own entries land
        for what, path in removals:
            (union.opaque if what == "opaque" else union.whiteout)(path, n)
        for path, kind, size, sha, link in additions:
            union.add(path, kind, size, sha, link, n)
        layer = {
            "index": n,
            "blob": blob_id,
            "media_type": media_type,
            "compression": compression,
            "compressed_size": stored,
            "uncompressed_size": measured.count,
            "diff_id": diff_id,
            "diff_id_matches_config": n < len(diff_ids) and diff_ids[n] == diff_id,
        }
        layer.update(counts)
        if n < len(history):
            layer["created_by"] = (history[n].get("created_by") or "")[:200]
        layers.append(layer)

    causes = ["deleted", "overwritten_changed", "overwritten_same_content"]
    wasted = dict.fromkeys(["total"] + causes, 0)
    for layer in layers:
        layer["wasted"] = dict.fromkeys(["total"] + causes, 0)
    for layer_index, size, cause, _, _ in union.losses:
        for bucket in (wasted, layers[layer_index]["wasted"]):
            bucket["total"] += size
            bucket[cause] += size
    for layer in layers:
        layer["wasted_bytes"] = layer["wasted"]["total"]
    biggest = sorted(union.losses, key=lambda loss: (-loss[1], loss[3], loss[0]))[:TOP]
    wasted["top"] = [{"path": p, "size": s, "in_layer": l, "cause": c, "by_layer": b} for l, s, c, p, b in biggest]

    final = dict.fromkeys(["regular_files", "regular_bytes", "dirs", "symlinks", "hardlinks", "other"], 0)
    final = {"entries": len(union.entries), **final}
    junk = {name: {"files": 0, "bytes": 0} for name in JUNK}
    same = {}
    for path, (kind, size, sha, _, inode) in union.entries.items():
        if inode is not None:
            # the oldest live name holds the bytes; the others are links
            holder = next(iter(inode.names)) == path
            kind, size, sha = ("file", inode.size, inode.sha) if holder else ("hardlink", 0, None)
        final[PLURAL[kind]] += 1
        if kind != "file":
            continue
        final["regular_bytes"] += size
        if size:
            same.setdefault(sha, []).append(path)
        for name, matches in JUNK.items():
            if matches(path):
                junk[name]["files"] += 1
                junk[name]["bytes"] += size
    groups = []
    for sha, paths in same.items():
        if len(paths) > 1:
            size = union.entries[paths[0]][4].size
            groups.append({"sha256": sha, "size": size, "copies": len(paths), "extra_bytes": size * (len(paths) - 1), "paths": sorted(paths)[:5]})
    groups.sort(key=lambda g: (-g["extra_bytes"], g["paths"]))

    file_bytes = sum(layer["regular_bytes"] for layer in layers)
    if file_bytes != final["regular_bytes"] + wasted["total"]:
        fail("invariant broken: %d file bytes in layers, %d in the final fs, %d wasted" % (file_bytes, final["regular_bytes"], wasted["total"]))
    return {
        "ref": image["ref"],
        "platform": image["platform"],
        "manifest_digest": image["manifest_digest"],
        "manifest_media_type": image["manifest_media_type"],
        "config_digest": image["config_digest"],
        "layer_count": len(layers),
        "totals": {
            "compressed_size": sum(layer["compressed_size"] for layer in layers),
            "uncompressed_size": sum(layer["uncompressed_size"] for layer in layers),
            "entries_all_layers": sum(layer["entries"] for layer in layers),
            "regular_files_all_layers": sum(layer["regular_files"] for layer in layers),
            "regular_bytes_all_layers": file_bytes,
            "whiteouts": sum(layer["whiteouts"] for layer in layers),
            "opaque_whiteouts": sum(layer["opaque_whiteouts"] for layer in layers),
        },
        "final_fs": final,
        "wasted": wasted,
        "duplicates_in_final_fs": {"extra_bytes": sum(g["extra_bytes"] for g in groups), "groups": len(groups), "top": groups[:TOP]},
        "junk_in_final_fs": junk,
        "layers": layers,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifact")
    parser.add_argument("--json", metavar="FILE", help="write the report here")
    parser.add_argument("--ref", help="only the image with this ref name (OCI) or RepoTag (docker-archive)")
    args = parser.parse_args()
    artifact = open_artifact(args.artifact)
    reports = [measure(artifact, image) for image in images(artifact, args.ref)]
    if not reports:
        fail("%s: no image%s" % (args.artifact, " named " + args.ref if args.ref else ""))
    report = {"source": os.path.basename(os.path.normpath(args.artifact)), "format": artifact.format, "images": reports}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
            f.write("\n")
    for r in reports:
        t, w = r["totals"], r["wasted"]
        print("%s %s %s: %d layers, %d B stored, %d B uncompressed, final fs %d files / %d B, wasted %d B "
              "(deleted %d, changed %d, same content %d)" % (
                  args.artifact, r["platform"], r["ref"], r["layer_count"], t["compressed_size"], t["uncompressed_size"],
                  r["final_fs"]["regular_files"], r["final_fs"]["regular_bytes"], w["total"], w["deleted"],
                  w["overwritten_changed"], w["overwritten_same_content"]))


if __name__ == "__main__":
    main()
