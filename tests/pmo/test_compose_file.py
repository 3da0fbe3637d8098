"""The compose file's Redis keeps its data across a restart: the queue of the report builds is there."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_redis_keeps_its_queue_on_a_volume_with_append_only_persistence():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    redis = compose["services"]["redis"]

    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    volume, _sep, mount = redis["volumes"][0].partition(":")
    assert mount == "/data"  # the image's working directory, where the append-only file is written
    assert volume in compose["volumes"]
