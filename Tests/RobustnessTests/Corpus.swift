/// Valid mpg scripts that the mutation generator starts from: every statement form, every argument
/// kind, comments, continuations and jq-heavy expressions, written as users would write them.
enum Corpus {
  /// The scripts, each parsing without diagnostics.
  static let scripts: [String] = [
    #"""
    let name = "demo"
    let n = 1 + 2
    echo "hello \($name)" $n
    [1, 2] | map(. * 10) | add
    """#,
    #"""
    let svc = {name: "db1", state: "creating", tags: []}
    if $svc.state == "running" { echo up } elif $svc.state == "creating" { echo starting } else { echo other }
    """#,
    #"""
    for t in ["a", "b"][] { echo "tag \($t)" }
    let i = 0
    while $i < 3 { let i = $i + 1 }
    echo $i
    """#,
    #"""
    fn double x { return $x * 2 }
    let d = double 21
    echo $d
    try { assert 1 == 2 "math is broken" } catch e { echo "caught: \($e.message)" }
    """#,
    #"""
    #!/usr/bin/env mpg
    # Lists running services from a file.
    let services = load ./services.json
    for svc in $services[] | select(.state == "running") {
      echo $svc.id $svc.name
    }
    """#,
    #"""
    let config = {
      region: "us-west-2",
      size: "r8gd.large",
      tags: [{key: "env", value: "dev"}]
    }
    save ./config.json $config
    let again = load ./config.json
    assert $again == $config "round trip"
    """#,
    #"""
    fn greet who {
      if $who == "" { return "nobody" }
      return "hi \($who)"
    }
    let g = greet world
    echo $g
    """#,
    #"""
    let xs = [range(10)]
    let total = 0
    for x in $xs[] {
      if $x % 2 == 0 { continue }
      if $x > 7 { break }
      let total = $total + $x
    }
    echo "total: \($total)"
    """#,
    #"""
    let data = load --raw notes.txt
    let lines = $data | split("\n") | map(select(length > 0))
    echo ($lines | length) lines
    """#,
    #"""
    sleep 250ms
    sleep 2s; sleep 0.1
    sleep 1m
    exit 0
    """#,
    #"""
    echo a b c --flag --name=value -- --not-an-option
    echo key=word count:=3 list:=[1,2] obj:={a: 1} quoted="with space"
    echo $args $args[0] $args | length
    """#,
    #"""
    let m = {a: 1, b: {c: [1, 2, 3]}}
    $m.b.c[1]
    $m | to_entries | map("\(.key)=\(.value)") | join(",")
    $m."a" + ($m.b.c | add)
    """#,
    #"""
    let people = [{name: "ann", age: 31}, {name: "bob", age: 25}]
    $people | sort_by(.age) | .[0].name
    $people | map(select(.age > 30)) | length
    reduce $people[] as $p (0; . + $p.age)
    """#,
    #"""
    let s = "x"
    if ($s | test("^[a-z]+$")) {
      echo matched
    } else {
      echo "no match"
    }
    """#,
    #"""
    try {
      error("boom")
    } catch err {
      echo $err.kind $err.message
      echo "at \($err.location.line):\($err.location.column)"
    }
    """#,
    #"""
    fn fact n {
      if $n <= 1 { return 1 }
      let rest = fact ($n - 1)
      return $n * $rest
    }
    let f = fact 10
    assert $f == 3628800
    """#,
    #"""
    let pairs = [["a", 1], ["b", 2]]
    for pair in $pairs[] { echo $pair[0] "=" $pair[1] }
    [$pairs[] | {(.[0]): .[1]}] | add
    """#,
    #"""
    source ./lib/common.mpg
    source "./lib/\("more").mpg"
    echo loaded
    """#,
    #"""
    let text = "tab\tnewline\nquote\" unicode \u00e9 emoji 🙂"
    echo $text
    $text | @base64 | @base64d
    @json "value: \([1, 2])"
    """#,
    #"""
    let n = 10
    let big = 1e3
    let small = .5
    let neg = -3
    [$n, $big, $small, $neg] | add
    $n // 0
    null // "default"
    """#,
    #"""
    let list = [1, 2, 3]
    $list |
      map(. + 1) |
      add
    echo done \
      still-the-same-line
    """#,
    #"""
    if 1 < 2 then "jq if" else "no" end
    if true { echo mpg-if }
    [.[]?] | length
    {} | .a.b?
    """#,
    #"""
    (def inc: . + 1; 1 | inc)
    label $out | foreach (1, 2, 3) as $x (0; . + $x; if . > 2 then ., break $out else . end)
    [limit(3; repeat(1))]
    """#,
    #"""
    let obj = {"key with space": 1, "k2": [true, false, null]}
    $obj | keys
    $obj["key with space"]
    $obj | has("k2") and ($obj.k2 | any)
    """#,
    #"""
    fn show title value {
      echo "\($title): \($value)"
    }
    show size 3
    show name "my postgres"
    show list [1, 2]
    show obj {a: 1} | .
    """#,
    #"""
    let i = 0
    while true {
      let i = $i + 1
      if $i >= 5 { break }
    }
    assert $i == 5 "loop ran \($i) times"
    """#,
    #"""
    let env = $ENV.HOME // "/"
    echo $env
    $__loc__
    "a,b,c" | split(",") | .[1:]
    """#,
    #"""
    let services = load services.json
    for svc in $services[] {
      if $svc.state == "failed" {
        echo "failed: \($svc.name)" ; continue
      }
      echo ok: $svc.name
    }
    """#,
    #"""
    let body = {name: "db", tags: ["a"]}
    save out.json ($body | .tags += ["b"])
    let saved = load out.json | .tags
    assert ($saved | length) == 2
    """#,
    #"""
    fn noop { return }
    noop
    let r = [1, 2, 3] | map(tostring) | join("-")
    echo $r
    exit 3
    """#,
    #"""
    let a = {x: {y: {z: 1}}}
    $a.x.y.z == 1 and $a.x["y"].z != 2 or false
    ($a | paths | map(tostring) | join(".")) as $p | $p
    [$a | .. | numbers]
    """#,
  ]
}
