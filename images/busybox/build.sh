#!/usr/bin/env bash
# Recipe of stepbox/base:busybox: a static busybox with its applets, built offline in about a
# second. The image's label stepbox.recipe is the hash of this file: change it and setup rebuilds.
set -euo pipefail
root=$1
mkdir -p "$root"/{bin,etc,root,tmp,workspace,dev,proc,sys}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
chmod 1777 "$root/tmp"
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >> "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
