{#- The weekly open-slots model of every account whose `opening_hours` parse (status `parsed` in
    `int_account_opening_hours`): one row per open slot of a day of the week, in minutes after the account's local
    midnight. A slot past midnight (`Tu-Su 10:00-01:00`) closes after minute 1440, on the next day. -#}
with

companies as (

    select
        company_id,
        opening_hours
    from {{ ref('stg_crm__companies') }}

),

parsed as (

    {{ opening_hours_slots('companies', 'company_id', 'opening_hours') | indent(4) }}

),

final as (

    select
        -- ids
        oh_key as company_id,
        -- numerics
        day_of_week,
        opens_at_minute,
        closes_at_minute
    from parsed
    where opening_hours_status = 'parsed'

)

select * from final
