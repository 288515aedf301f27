{{ base_incremental_config('store_visits') }}

{{ guarded_base(
    'store_visits',
    references=[
        {'column': 'contact_id', 'to': ref('base_crm__contacts')},
    ]
) }}
