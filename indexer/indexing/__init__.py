"""Writing the Whoosh index: generations, the update manifest, the rebuild lock."""
