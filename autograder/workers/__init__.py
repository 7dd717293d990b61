"""Grading on Dask: the cluster (embedded LocalCluster or a running scheduler), warm workers, the task.

  cluster.py  open_cluster(ClusterSettings) -> a Client with warm workers; GPU resources
  worker.py   GradingWorker: a Dask WorkerPlugin that imports Keras and sets the backend once
  tasks.py    grade_task(raw notebook bytes, student, notebook, pipeline) -> outcome dict
The class autograder (``autograder.batch``) and the grading server (``autograder.server``) use these.
"""
