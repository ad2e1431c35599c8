"""Reading the workspace: paging windows, records, errors by code, ad hoc SQL, export."""
