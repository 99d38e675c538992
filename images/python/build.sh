#!/usr/bin/env bash
# Recipe of stepbox/python:bookworm: Debian bookworm minbase with git, python3, pip, pytest and
# CA certificates, bootstrapped from the Debian mirror (no container registry needed). About a
# minute. The image's label stepbox.recipe is the hash of this file.
set -euo pipefail
root=$1
mirror=${STEPBOX_DEBIAN_MIRROR:-http://deb.debian.org/debian}
debootstrap --variant=minbase \
  --include=git,python3,python3-pip,python3-pytest,python3-venv,ca-certificates \
  bookworm "$root" "$mirror"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
mkdir -p "$root/workspace"
# Agents clone repositories owned by other uids from read-only mounts.
chroot "$root" git config --system --add safe.directory '*'
