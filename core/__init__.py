"""What every app's records share, with no dependency on any app.

`catalogue` uses `levers` and `territories`, never the reverse; the abstract bases of
a translated, cited record live here so that all three can build on them.
"""
