"""What the environment commands share (``create``, ``install``, ``update``, ``remove``,
``list``, ``index``, ``package``): parser flags, prefix resolution, the install flow, plan
display, channel indexing and package building. Not a plugin itself (no entry point):
subcommand plugins import these modules inside their actions.
"""
