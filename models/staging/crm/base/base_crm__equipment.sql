{{ base_incremental_config('equipment') }}

{{ guarded_base(
    'equipment',
    rules=[
        rule_not_negative('seats_purchased'),
        rule_not_negative('seats_active'),
        {'rule': 'out_of_range', 'column': 'seats_active', 'when': 'seats_active > seats_purchased'},
    ],
    references=[
        {'column': 'company_id', 'to': ref('base_crm__companies')},
        {'column': 'product_id', 'to': ref('base_crm__products')},
    ]
) }}
