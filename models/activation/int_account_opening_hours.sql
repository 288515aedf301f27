{#- One row per account: whether its `opening_hours` give a weekly open-slots model (`int_account_open_slots`) and
    why not, the time zone its slots are read in, and the public holidays it observes. A text that does not parse is
    not dropped: the account keeps a null model, `opening_hours_status` unparseable and the first error. -#}
with

companies as (

    select
        company_id,
        opening_hours,
        timezone,
        country_code,
        department_code
    from {{ ref('stg_crm__companies') }}

),

parsed as (

    {{ opening_hours_slots('companies', 'company_id', 'opening_hours') | indent(4) }}

),

models as (

    select
        oh_key as company_id,
        max(opening_hours_status) as opening_hours_status,
        max(opening_hours_error) as opening_hours_error,
        count(day_of_week) as weekly_open_slots,
        sum(closes_at_minute - opens_at_minute) as weekly_open_minutes
    from parsed
    group by oh_key

),

known_timezones as (

    {{ known_timezones() }}

),

final as (

    select
        -- ids
        companies.company_id,
        -- strings
        companies.opening_hours,
        models.opening_hours_status,
        models.opening_hours_error,
        companies.timezone,
        coalesce(known_timezones.name, '{{ var("source_timezone") }}') as send_timezone,
        companies.country_code,
        companies.department_code,
        -- numerics
        models.weekly_open_slots,
        {{ rounded_ratio('models.weekly_open_minutes', '60', 2) }} as weekly_open_hours,
        -- booleans
        known_timezones.name is not null as is_timezone_known,
        companies.country_code = 'FR' as observes_french_holidays
    from companies
    inner join models
        on companies.company_id = models.company_id
    left join known_timezones
        on lower(companies.timezone) = lower(known_timezones.name)

)

select * from final
