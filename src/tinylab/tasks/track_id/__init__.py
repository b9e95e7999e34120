"""The track-id task: supernova-neutrino main tracks among liquid-argon TPC cluster images (simulated)."""

from tinylab.tasks.track_id.task import TrackIdTask

__all__ = ["TrackIdTask"]
