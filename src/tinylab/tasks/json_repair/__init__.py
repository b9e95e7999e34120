"""The json-repair task (data generation, the trained edit scorer, evaluation beside the competitors). The
repair itself, for users, is :mod:`tinylab.json_repair`."""

from tinylab.tasks.json_repair.task import JsonRepairSpec, JsonRepairTask

__all__ = ["JsonRepairSpec", "JsonRepairTask"]
