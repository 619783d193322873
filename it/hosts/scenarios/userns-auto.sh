# scenario userns-auto: --userns=auto maps alice's subordinate range (/etc/subuid and
# /etc/subgid: alice:100000:65536) with the setuid newuidmap/newgidmap, alice still root inside.
#   phase auto:       the range is there
#   phase no_range:   root removed alice's entries: a clear refusal naming /etc/subuid
PHASES="auto no_range"

prepare_no_range() { sed -i '/^alice:/d' /etc/subuid /etc/subgid; cat /etc/subuid; }

checks_auto() {
  check "vm: newuidmap/newgidmap are setuid root" vm_newuidmap
  check "vm: unshare --map-auto maps alice's subordinate range" vm_unshare_map_auto
  check "jbox: --userns=auto maps 0 to alice and 1.. to 100000.." jbox_auto_maps
  check "jbox: --userns=auto lets root inside chown to a subordinate id (seen as 101233 outside)" jbox_auto_chown
  check "jbox: --userns=auto -u 1000 runs as uid 1000 inside" jbox_auto_user
}
checks_no_range() {
  check "jbox: --userns=auto without a subuid range fails with 125 naming /etc/subuid" jbox_auto_no_range
  check "jbox: the default single mapping still works" jbox_default_still_works
}

vm_newuidmap() {
  local f
  for f in /usr/bin/newuidmap /usr/bin/newgidmap; do
    [ "$(stat -c '%U %A' "$f")" = "root -rwsr-xr-x" ] || fail "$f: $(stat -c '%U %A' "$f")"
  done
}
vm_unshare_map_auto() {
  capture unshare --user --map-auto --map-root-user cat /proc/self/uid_map
  expect_rc 0; expect_out_matches '^\s*1\s+100000\s+6553[56]'
}
jbox_auto_maps() {
  capture jbox run --userns=auto -- cat /proc/self/uid_map /proc/self/gid_map
  expect_rc 0
  [ "$(grep -cE '^\s*0\s+1000\s+1$' <<<"$OUT_")" = 2 ] || fail "0 is not mapped to 1000 in both maps"
  [ "$(grep -cE '^\s*1\s+100000\s+6553[56]$' <<<"$OUT_")" = 2 ] || fail "1.. is not mapped to 100000..(65536) in both maps"
}
jbox_auto_chown() {
  mkdir -p "$HOME/auto"; rm -f "$HOME/auto/f"
  capture jbox run --userns=auto -v "$HOME/auto:/srv" -- sh -c 'touch /srv/f && chown 1234:1234 /srv/f && stat -c %u:%g /srv/f'
  expect_rc 0; [ "$OUT_" = 1234:1234 ] || fail "inside: '$OUT_'"
  [ "$(stat -c %u:%g "$HOME/auto/f")" = 101233:101233 ] || fail "outside: $(stat -c %u:%g "$HOME/auto/f")"
}
jbox_auto_user() {
  capture jbox run --userns=auto -u 1000 -- id -u
  expect_rc 0; [ "$OUT_" = 1000 ] || fail "id -u inside is '$OUT_'"
}
jbox_auto_no_range() {
  capture jbox run --userns=auto -- id
  expect_rc 125
  expect_said_matches '/etc/subuid'
  expect_said_matches 'usermod --add-subuids'
  expect_no_stack_trace
}
jbox_default_still_works() {
  capture jbox run -- id -u
  expect_rc 0; [ "$OUT_" = 0 ] || fail "id -u inside is '$OUT_'"
}
