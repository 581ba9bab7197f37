"""Writing outputs safely (`bilstm_dsl.files`): through symlinks, without splitting hard
links, keeping mode and owner, refusing read-only and non-regular targets, writing streams
as streams, never overwriting an edit made meanwhile, and never leaving a temporary file
behind, not even when a signal stops the write.

Most tests run twice: as the user running the tests, and, when that is root, as ``nobody``
(uid 65534) in a forked child, since root may write where others may not and chown what
others cannot."""

from __future__ import annotations

import errno
import importlib
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES

import bilstm_dsl.fmt
from bilstm_dsl import files, writes
from bilstm_dsl.cli import main

GOOD = EXAMPLES / "bilstm_many_to_one.arch"
MESSY = "input(20,1)->lstm(8)\n"
FORMATTED = "input(20, 1) -> lstm(8)\n"
NOBODY = 65534
ROOT_USER = os.geteuid() == 0

# What the commands import lazily, imported now: a child that has become `nobody` cannot
# read this interpreter's standard library when it lives in root's home.
LAZY_IMPORTS = ("bilstm_dsl.backends.python", "difflib", "resource")
for _module in LAZY_IMPORTS:
    importlib.import_module(_module)


def leftovers(*directories: Path) -> list[str]:
    """Temporary files left beside a target (they start with a dot)."""
    return sorted(p.name for d in directories for p in d.iterdir() if p.name.startswith("."))


def expected_python() -> str:
    """What `compile --emit python` writes for GOOD."""
    from bilstm_dsl.backends.plan import plan
    from bilstm_dsl.backends.python import emit_python
    from bilstm_dsl.files import model_name

    result = files.check_path(str(GOOD))
    return emit_python(plan(result, model_name(result.path)), GOOD.name)


class User:
    """Runs the command line as this user (in-process) or as ``nobody`` (in a forked
    child that gave up root), returning (exit code, stdout, stderr)."""

    def __init__(self, name: str, directory: Path) -> None:
        self.name = name
        self.directory = directory
        self.uid = NOBODY if name == "nobody" else os.geteuid()

    def __call__(self, *argv: object, before: Callable[[], None] | None = None):
        argv = [str(a) for a in argv]
        if self.name != "nobody":
            if before is not None:
                before()
            return self._in_process(argv)
        return _forked(argv, NOBODY, before)

    def _in_process(self, argv: list[str]):
        out_file = tempfile.TemporaryFile("w+")
        err_file = tempfile.TemporaryFile("w+")
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out_file, err_file
        try:
            code = main(argv)
        finally:
            sys.stdout, sys.stderr = saved
        out_file.seek(0)
        err_file.seek(0)
        return code, out_file.read(), err_file.read()

    def own(self, *paths: Path) -> None:
        """Make ``paths`` this user's, as files they made would be."""
        for path in paths:
            os.chown(path, self.uid, self.uid, follow_symlinks=False)


def _forked(argv: list[str], uid: int, before: Callable[[], None] | None):
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become `uid`, run, exit without returning into pytest
        code = 99
        try:
            os.close(out_r)
            os.close(err_r)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            if before is not None:
                before()
            code = main(argv)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(out_w)
    os.close(err_w)
    with open(out_r, encoding="utf-8") as out, open(err_r, encoding="utf-8") as err:
        out_text, err_text = out.read(), err.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out_text, err_text


@pytest.fixture(params=["me", "nobody"])
def user(request, tmp_path):
    """The user running the command, and a directory they may write in."""
    if request.param == "nobody":
        if not ROOT_USER:
            pytest.skip("only root can run a test as nobody (as yourself, it ran already)")
        directory = Path(tempfile.mkdtemp(prefix="bilstm-files-", dir="/tmp"))
        directory.chmod(0o777)
        yield User("nobody", directory)
        subprocess.run(["rm", "-rf", str(directory)], check=False)
    else:
        yield User("me", tmp_path)


def compile_args(target: Path | str) -> list[object]:
    return ["compile", GOOD, "--emit", "python", "-o", target]


# -- symlinks and hard links


def test_a_symlink_is_written_through(user):
    d = user.directory
    (d / "models").mkdir()
    real = d / "models" / "real.py"
    real.write_text("old\n")
    link = d / "link.py"
    link.symlink_to("models/real.py")
    user.own(d / "models", real, link)
    code, _, err = user(*compile_args(link))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == "models/real.py"
    assert real.read_text() == expected_python()
    assert leftovers(d, d / "models") == []


def test_a_dangling_symlink_creates_its_target(user):
    d = user.directory
    link = d / "link.py"
    link.symlink_to("made.py")
    user.own(link)
    code, _, err = user(*compile_args(link))
    assert code == 0, err
    assert link.is_symlink() and (d / "made.py").read_text() == expected_python()


def test_a_hard_link_is_not_split(user):
    d = user.directory
    first, second = d / "a.py", d / "b.py"
    first.write_text("old\n")
    os.link(first, second)
    user.own(first)
    inode = first.stat().st_ino
    code, _, err = user(*compile_args(first))
    assert code == 0, err
    assert first.stat().st_ino == second.stat().st_ino == inode
    assert first.stat().st_nlink == 2
    assert second.read_text() == expected_python()
    assert leftovers(d) == []


def test_a_full_disk_during_an_in_place_write_leaves_the_old_content(tmp_path, monkeypatch):
    """Room is reserved before a byte of a hard-linked file is overwritten."""
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text("old\n")
    os.link(first, second)

    def full(fd, offset, length):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "posix_fallocate", full)
    code, _, err = User("me", tmp_path)(*compile_args(first))
    assert (
        code == 2 and err == f"bilstm-dsl: error: {first}: cannot write: No space left on device\n"
    )
    assert first.read_text() == "old\n" and second.read_text() == "old\n"
    assert leftovers(tmp_path) == []


# -- mode and owner


def test_the_mode_is_kept(user):
    d = user.directory
    target = d / "model.py"
    target.write_text("old\n")
    target.chmod(0o640)
    user.own(target)
    code, _, err = user(*compile_args(target))
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text() == expected_python()


def test_a_new_file_gets_the_mode_the_umask_allows(tmp_path):
    target = tmp_path / "new.py"
    umask = os.umask(0o027)
    try:
        code, _, _ = User("me", tmp_path)(*compile_args(target))
    finally:
        os.umask(umask)
    assert code == 0 and stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(not ROOT_USER, reason="only root can give a file to another user")
def test_root_keeps_the_owner_and_group(tmp_path):
    target = tmp_path / "model.py"
    target.write_text("old\n")
    os.chown(target, 12345, 23456)
    target.chmod(0o2664)  # set-group-ID too, which a chown would clear
    code, _, err = User("me", tmp_path)(*compile_args(target))
    assert code == 0, err
    info = target.stat()
    assert (info.st_uid, info.st_gid) == (12345, 23456)
    assert stat.S_IMODE(info.st_mode) == 0o2664
    assert target.read_text() == expected_python()


def test_a_user_who_cannot_chown_rewrites_in_place(user):
    """nobody may write root's world-writable file but not give a new file to root: the
    file is rewritten in place, so it stays root's."""
    if user.name != "nobody":
        pytest.skip("needs a file owned by someone else that this user may write")
    target = user.directory / "shared.py"
    target.write_text("old\n")
    target.chmod(0o666)
    inode = target.stat().st_ino
    code, _, err = user(*compile_args(target))
    assert code == 0, err
    info = target.stat()
    assert (info.st_uid, info.st_ino, stat.S_IMODE(info.st_mode)) == (0, inode, 0o666)
    assert target.read_text() == expected_python()
    assert leftovers(user.directory) == []


# -- refused targets


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o000])
def test_a_read_only_file_is_refused_and_untouched(user, mode):
    target = user.directory / "model.py"
    target.write_text("precious\n")
    user.own(target)
    target.chmod(mode)
    before = target.stat()
    code, out, err = user(*compile_args(target))
    assert code == 2 and out == ""
    assert err == (
        f"bilstm-dsl: error: {target}: is read-only; make it writable first (chmod u+w)\n"
    )
    target.chmod(0o600)
    assert target.read_text() == "precious\n"
    assert target.stat().st_mtime_ns == before.st_mtime_ns and target.stat().st_ino == before.st_ino
    assert leftovers(user.directory) == []


def test_someone_elses_file_this_user_may_not_write_is_refused(user):
    if user.name != "nobody":
        pytest.skip("needs a file owned by someone else")
    target = user.directory / "roots.py"
    target.write_text("precious\n")
    target.chmod(0o644)  # root's, writable by root only
    code, _, err = user(*compile_args(target))
    assert code == 2 and "is read-only" in err
    assert target.read_text() == "precious\n"


def test_fmt_skips_a_read_only_file_and_goes_on(user):
    d = user.directory
    locked, open_ = d / "locked.arch", d / "open.arch"
    locked.write_text(MESSY)
    open_.write_text(MESSY)
    user.own(locked, open_)
    locked.chmod(0o444)
    code, _, err = user("fmt", locked, open_)
    assert code == 2
    assert f"{locked}: is read-only" in err and f"reformatted {open_}" in err
    assert locked.read_text() == MESSY and open_.read_text() == FORMATTED


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.py"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        code, _, err = User("me", tmp_path)(*compile_args(path))
    finally:
        server.close()
    assert code == 2 and f"{path}: is a socket; write to a regular file, a FIFO or `-`" in err
    assert stat.S_ISSOCK(path.stat().st_mode)


@pytest.mark.skipif(not ROOT_USER, reason="only root can make device nodes")
def test_device_nodes_a_character_device_is_a_stream_a_block_device_refused(tmp_path):
    runner = User("me", tmp_path)
    null = tmp_path / "null.py"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    code, _, err = runner(*compile_args(null))
    assert code == 0, err
    assert stat.S_ISCHR(null.stat().st_mode) and null.stat().st_rdev == os.makedev(1, 3)
    disk = tmp_path / "disk.py"
    os.mknod(disk, 0o600 | stat.S_IFBLK, os.makedev(7, 0))  # a loop device, never opened
    code, _, err = runner(*compile_args(disk))
    assert code == 2 and f"{disk}: is a block device" in err
    assert stat.S_ISBLK(disk.stat().st_mode)
    assert leftovers(tmp_path) == []


def test_dev_null_is_never_replaced(user):
    code, _, err = user(*compile_args("/dev/null"))
    assert code == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# -- streams


def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(user):
    fifo = user.directory / "pipe.py"
    os.mkfifo(fifo, 0o666)
    user.own(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        code, _, err = user(*compile_args(fifo))
        received = reader.communicate(timeout=30)[0]
    finally:
        reader.kill()
    assert code == 0, err
    assert received.decode("utf-8") == expected_python()
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert leftovers(user.directory) == []


def test_fmt_refuses_to_rewrite_a_fifo(tmp_path):
    fifo = tmp_path / "spec.arch"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"printf '{MESSY.strip()}\\n' > '{fifo}'"])
    try:
        code, out, err = User("me", tmp_path)("fmt", fifo)
    finally:
        writer.wait(timeout=30)
    assert code == 2 and out == ""
    assert "is not a regular file; fmt rewrites files in place" in err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


# -- fmt and an edit saved meanwhile


def test_fmt_does_not_overwrite_an_edit_saved_while_it_ran(user):
    spec = user.directory / "spec.arch"
    spec.write_text(MESSY)
    user.own(spec)
    edit = "input(20, 1) -> lstm(16)  # saved by the editor meanwhile\n"
    real_format = bilstm_dsl.fmt.format_source

    def patch():
        def format_while_someone_saves(source: str):
            formatted = real_format(source)
            spec.write_text(edit)
            return formatted

        bilstm_dsl.fmt.format_source = format_while_someone_saves

    try:
        code, _, err = user("fmt", spec, before=patch)
    finally:
        bilstm_dsl.fmt.format_source = real_format
    assert code == 1
    assert err == (
        f"bilstm-dsl: {spec}: changed while it was being formatted; left as it is, run fmt again\n"
    )
    assert spec.read_text() == edit
    assert leftovers(user.directory) == []


def test_an_edit_of_the_same_size_and_time_is_still_seen(tmp_path, monkeypatch):
    spec = tmp_path / "spec.arch"
    spec.write_text(MESSY)
    real_format = bilstm_dsl.fmt.format_source
    same_size = MESSY.replace("8", "9")

    def sneaky(source: str):
        formatted = real_format(source)
        before = spec.stat()
        spec.write_text(same_size)
        os.utime(spec, ns=(before.st_atime_ns, before.st_mtime_ns))
        return formatted

    monkeypatch.setattr(bilstm_dsl.fmt, "format_source", sneaky)
    code, _, err = User("me", tmp_path)("fmt", spec)
    assert code == 1 and "changed while it was being formatted" in err
    assert spec.read_text() == same_size


def test_fmt_writes_through_a_symlink_and_keeps_hard_links(tmp_path):
    real = tmp_path / "real.arch"
    real.write_text(MESSY)
    link = tmp_path / "link.arch"
    link.symlink_to(real.name)
    twin = tmp_path / "twin.arch"
    os.link(real, twin)
    code, _, err = User("me", tmp_path)("fmt", link)
    assert code == 0 and f"reformatted {link}" in err
    assert link.is_symlink() and real.read_text() == FORMATTED == twin.read_text()
    assert real.stat().st_ino == twin.stat().st_ino


def test_the_directory_is_flushed_after_the_rename(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)
    writes.write_text(tmp_path / "out.txt", "text\n")
    assert synced == [False, True]  # the file's data, then the directory's entry


# -- signals


SLOW_WRITER = """
import os, sys, time
import bilstm_dsl.files
real_fsync = os.fsync
def slow_fsync(fd):
    real_fsync(fd)
    sys.stderr.write("temporary file written\\n")
    sys.stderr.flush()
    time.sleep(60)
os.fsync = slow_fsync
from bilstm_dsl.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path, signum):
    """SIGTERM, SIGINT or SIGHUP while `compile -o` writes: the temporary file is removed,
    the old file is untouched, and the exit status is 128 + the signal number."""
    if signal.getsignal(signum) is signal.SIG_IGN:
        pytest.skip(f"{signum.name} is ignored here, and so in the child")
    target = tmp_path / "model.py"
    target.write_text("precious\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, *map(str, compile_args(target))],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr.readline() == "temporary file written\n"
        assert len(leftovers(tmp_path)) == 1  # the write is really under way
        proc.send_signal(signum)
        assert proc.wait(timeout=30) == 128 + signum
    finally:
        proc.kill()
    assert proc.stderr.read() == ""
    assert target.read_text() == "precious\n"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not ROOT_USER, reason="only root can run a test as nobody")
def test_sigterm_during_a_write_as_nobody(user):
    if user.name != "nobody":
        pytest.skip("the same test as yourself is the one above")
    target = user.directory / "model.py"
    target.write_text("precious\n")
    user.own(target)
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            os.close(ready_r)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            real_fsync = os.fsync

            def slow_fsync(fd):
                real_fsync(fd)
                os.write(ready_w, b"x")
                signal.pause()

            files.os.fsync = slow_fsync
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            code = main([str(a) for a in compile_args(target)])
        except BaseException:
            pass
        finally:
            os._exit(code)
    os.close(ready_w)
    try:
        assert os.read(ready_r, 1) == b"x"
        assert len(leftovers(user.directory)) == 1
        os.kill(pid, signal.SIGTERM)
    finally:
        os.close(ready_r)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 128 + signal.SIGTERM
    assert target.read_text() == "precious\n"
    assert leftovers(user.directory) == []


@pytest.mark.keras
def test_a_keras_file_through_a_symlink_and_into_a_fifo(tmp_path, keras):
    """Keras saves to a path ending in .keras: the temporary file keeps the suffix, beside
    the real target for a symlink, in the temporary directory for a stream."""
    import zipfile

    real = tmp_path / "real.keras"
    real.write_text("old")
    link = tmp_path / "link.keras"
    link.symlink_to(real.name)
    code, _, err = User("me", tmp_path)("compile", GOOD, "-o", link)
    assert code == 0, err
    assert link.is_symlink() and zipfile.is_zipfile(real)
    assert keras.saving.load_model(real, safe_mode=True).name == "bilstm_many_to_one"
    fifo = tmp_path / "pipe.keras"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        code, _, err = User("me", tmp_path)("compile", GOOD, "-o", fifo)
        received = reader.communicate(timeout=60)[0]
    finally:
        reader.kill()
    assert code == 0, err
    copy = tmp_path / "copy.keras"
    copy.write_bytes(received)
    assert keras.saving.load_model(copy, safe_mode=True).count_params() == 20_901
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert leftovers(tmp_path) == []
    assert not list(Path(tempfile.gettempdir()).glob(".pipe.keras.*"))
