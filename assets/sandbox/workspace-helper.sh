#!/bin/bash
# The workspace helper: the fixed program Clawdbot runs, as root, in a short-lived container of
# the sandbox image (see src-main/sandbox/workspace-image.ts) before a sandbox's workspace is
# mounted. Its inputs are numbers the caller checks (and checked again here), and the image path
# the caller sets: nothing a model says ever reaches it.
#
#   workspace-helper.sh SIZE_MIB UID:GID      (env: WORKSPACE_IMAGE, the image file's path)
#   workspace-helper.sh sweep                 (step 1 only; WORKSPACE_IMAGE names the file)
#   workspace-helper.sh SIZE_MIB UID:GID image-only
#                                             (steps 2, 3 and 5 on the file, no loop device:
#                                              for Podman, which mounts the image itself)
#
# 1. Makes a device node for every loop device that holds a workspace image (a container's /dev
#    has none), so losetup can ask each which file it holds, and detaches those whose workspace
#    image was deleted (they would keep its blocks on the host disk until the next reboot). The
#    path the kernel shows is only a hint (it is relative to the helper that attached it); the
#    file itself is matched by device and inode numbers below.
# 2. Creates the image if missing: a sparse file of exactly the limit, formatted ext4 with no
#    blocks reserved for root (the sandbox user is not root) and its root directory owned by the
#    sandbox user. Formatted under a temporary name and renamed, so a crash never leaves a
#    half-made image.
# 3. Grows it when the limit was raised, while no loop device holds it (so no block cache can
#    see the old size): check, then resize.
# 4. Finds the loop device that holds this very file. `losetup -j` compares the device and inode
#    numbers the kernel reports, not a path, so after a reboot a /dev/loopN that now holds
#    another file is never taken for this one. It must have no offset, no size limit and be
#    writable. Otherwise attaches a free one (retrying when another attach takes it first).
# 5. Hands the filesystem's root to the sandbox user if it belongs to someone else (the user
#    changed), through the device, while nothing mounts it.
# 6. Prints device=/dev/loopN (image-only: image=ready).
set -euo pipefail
img=$WORKSPACE_IMAGE
fail() { printf 'workspace helper: %s\n' "$1" >&2; exit 3; }
mode=${3:-attach}
case "$mode" in attach | image-only) ;; *) fail "bad mode: $mode" ;; esac
# Step 1, which needs loop devices: Podman mounts (and detaches) the image itself.
if [ "$mode" = attach ]; then
  [ -c /dev/loop-control ] || fail "no /dev/loop-control: this engine cannot attach loop devices"

  # Builtins only in this loop (no process per device): a helper start must stay cheap.
  name=${img##*/}
  for d in /sys/block/loop*; do
    backing=
    [ -r "$d/loop/backing_file" ] && read -r backing <"$d/loop/backing_file" || true
    case "$backing" in
      */"$name" | */"$name (deleted)") ;;
      *) continue ;;
    esac
    n=${d##*/loop}
    [ -b "/dev/loop$n" ] || mknod -m 0600 "/dev/loop$n" b 7 "$n"
    if [[ "$backing" == *" (deleted)" ]]; then losetup -d "/dev/loop$n" 2>/dev/null || true; fi
  done
  [ "${1:-}" = sweep ] && exit 0
fi

size_mib=$1
owner=$2
case "$size_mib" in '' | *[!0-9]*) fail "bad size: $size_mib" ;; esac
[[ "$owner" =~ ^[0-9]+:[0-9]+$ ]] || fail "bad owner: $owner"
uid=${owner%%:*}
gid=${owner##*:}

attached() {
  local line dev offset limit ro
  while read -r dev offset limit ro; do
    if [ "$offset" = 0 ] && [ "$limit" = 0 ] && [ "$ro" = 0 ]; then
      line=$dev
      break
    fi
  done < <(losetup --list -n -O NAME,OFFSET,SIZELIMIT,RO -j "$img")
  printf '%s' "${line:-}"
}

want=$((size_mib * 1048576))
if [ ! -e "$img" ]; then
  rm -f "$img.new"
  truncate -s "$want" "$img.new"
  mke2fs -q -F -t ext4 -m 0 -L clawdbot-ws -E "root_owner=$uid:$gid" "$img.new" >&2 ||
    fail "formatting the workspace image failed"
  mv "$img.new" "$img"
fi
[ -f "$img" ] && [ ! -L "$img" ] || fail "$img is not a regular file"

if [ "$(stat -c %s "$img")" -lt "$want" ]; then
  for dev in $(losetup --list -n -O NAME -j "$img"); do losetup -d "$dev"; done
  truncate -s "$want" "$img"
  e2fsck -f -p "$img" >&2 || [ $? -le 1 ] || fail "the workspace filesystem has errors e2fsck could not fix"
  resize2fs "$img" >&2 || fail "growing the workspace filesystem failed"
fi

# The root directory's owner, as the filesystem on $1 (the image or its device) has it, handed
# to the sandbox user when it is someone else's (step 5).
hand_root() {
  local line root=
  while read -r line; do
    if [[ "$line" =~ User:\ *([0-9]+)\ *Group:\ *([0-9]+) ]]; then
      root=${BASH_REMATCH[1]}:${BASH_REMATCH[2]}
      break
    fi
  done < <(debugfs -R 'stat <2>' "$1" 2>/dev/null)
  if [ "$root" != "$uid:$gid" ]; then
    { debugfs -w -R "sif <2> uid $uid" "$1" && debugfs -w -R "sif <2> gid $gid" "$1"; } \
      >/dev/null 2>&1 || fail "could not hand the workspace to uid $uid"
  fi
}

if [ "$mode" = image-only ]; then
  hand_root "$img"
  printf 'image=ready\n'
  exit 0
fi

dev=$(attached)
if [ -z "$dev" ]; then
  for _ in 1 2 3 4 5 6 7 8; do
    dev=$(losetup -f) || fail "no free loop device"
    [ -b "$dev" ] || mknod -m 0600 "$dev" b 7 "${dev#/dev/loop}"
    if losetup "$dev" "$img" 2>/dev/null; then break; fi
    dev=
  done
  [ -n "$dev" ] || fail "could not attach a loop device to the workspace image"
  [ "$(attached)" = "$dev" ] || fail "$dev does not hold the workspace image after attaching it"
fi

hand_root "$dev"
printf 'device=%s\n' "$dev"
