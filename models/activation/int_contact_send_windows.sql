{#- When to send each person their next email (docs/DESIGN.md, "Send windows"), from the reference instant
    (`send_reference_at`: the reference date at `send_reference_time` on the `source_timezone` clock). A B2B contact:
    the first moment of their usual open hour that falls in an open slot of their account, else the start of the
    account's next open slot; slots are the account's weekly open slots (`int_account_open_slots`, or the var
    `default_opening_hours` when the account has none) on its local calendar over the `send_horizon_days` days from
    the reference date, without public holidays: no slot opening on a holiday, and a slot of the day before stops at
    midnight. A consumer: their usual open hour, else `consumer_default_send_hour`, on their own clock, the first one
    at or after the reference instant. Times are worked out in minutes after local midnight of the reference day
    ("day 0") on each clock, then converted to UTC. -#}
with

contacts as (

    select
        contact_id,
        company_id,
        customer_type,
        send_timezone,
        usual_open_hour
    from {{ ref('int_contact_usual_open_hour') }}

),

accounts as (

    select
        company_id,
        opening_hours_status,
        send_timezone,
        department_code,
        observes_french_holidays
    from {{ ref('int_account_opening_hours') }}
    where company_id in (select contacts.company_id from contacts)

),

default_slots as (

    {{ default_opening_hours_slots() | indent(4) }}

),

-- the account's own weekly slots, or the default ones when its hours are missing, unparseable or never open
weekly_slots as (

    select
        company_id,
        day_of_week,
        opens_at_minute,
        closes_at_minute
    from {{ ref('int_account_open_slots') }}
    union all
    select
        accounts.company_id,
        default_slots.day_of_week,
        default_slots.opens_at_minute,
        default_slots.closes_at_minute
    from accounts
    cross join default_slots
    where accounts.opening_hours_status <> 'parsed' and default_slots.opening_hours_status = 'parsed'

),

holiday_dates as (

    select distinct
        holiday_date,
        scope
    from {{ ref('ref_french_public_holidays') }}

),

-- the reference instant on each local clock: its date (day 0) and minute of that day
clocks as (

    select
        send_timezone,
        cast(local_reference_at as date) as reference_local_date,
        cast(
            60 * extract(hour from local_reference_at) + extract(minute from local_reference_at) as {{ dbt.type_int() }}
        ) as reference_minute
    from (
        select
            timezones.send_timezone,
            {{ utc_to_local(send_reference_at(), 'timezones.send_timezone') }} as local_reference_at
        from (select distinct send_timezone from contacts) as timezones
    ) as local_references

),

-- day -1 too: its slots past midnight may still be open at the reference instant
day_offsets as (

    select cast(generated_number - 2 as {{ dbt.type_int() }}) as day_offset
    from ({{ dbt.generate_series(var('send_horizon_days') + 1) }}) as numbers

),

-- one local calendar per clock and holiday scope (a few hundred), not one per account
calendars as (

    select distinct
        send_timezone,
        coalesce(department_code, '') as holiday_department,
        observes_french_holidays
    from accounts

),

calendar_days as (

    select
        calendars.send_timezone,
        calendars.holiday_department,
        calendars.observes_french_holidays,
        clocks.reference_minute,
        day_offsets.day_offset,
        cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'clocks.reference_local_date') }} as date) as local_date
    from calendars
    inner join clocks
        on calendars.send_timezone = clocks.send_timezone
    cross join day_offsets

),

calendar_holidays as (

    select
        calendar_days.*,
        cast(extract(isodow from calendar_days.local_date) as {{ dbt.type_int() }}) as day_of_week,
        national_holidays.holiday_date is not null or local_holidays.holiday_date is not null as is_holiday
    from calendar_days
    left join holiday_dates as national_holidays
        on
            calendar_days.observes_french_holidays
            and national_holidays.scope = 'FR'
            and calendar_days.local_date = national_holidays.holiday_date
    left join holiday_dates as local_holidays
        on
            calendar_days.holiday_department = local_holidays.scope
            and calendar_days.local_date = local_holidays.holiday_date

),

local_calendar as (

    select
        send_timezone,
        holiday_department,
        observes_french_holidays,
        reference_minute,
        day_offset,
        day_of_week,
        coalesce(lead(is_holiday) over (
            partition by send_timezone, holiday_department, observes_french_holidays order by day_offset
        ), false) as is_next_day_holiday,
        is_holiday
    from calendar_holidays

),

calendar_slots as (

    select
        accounts.company_id,
        open_days.reference_minute,
        open_days.day_offset,
        open_days.is_next_day_holiday,
        1440 * open_days.day_offset + weekly_slots.opens_at_minute as opens_at,
        1440 * open_days.day_offset + weekly_slots.closes_at_minute as closes_at
    from accounts
    inner join local_calendar as open_days
        on
            accounts.send_timezone = open_days.send_timezone
            and coalesce(accounts.department_code, '') = open_days.holiday_department
            and accounts.observes_french_holidays = open_days.observes_french_holidays
    inner join weekly_slots
        on
            accounts.company_id = weekly_slots.company_id
            and open_days.day_of_week = weekly_slots.day_of_week
    where not open_days.is_holiday

),

-- slots cut at midnight, from the reference instant on; nothing on a holiday, not even the night after the day before
slot_pieces as (

    select
        company_id,
        piece_day,
        greatest(piece_opens_at, reference_minute) as opens_at,
        piece_closes_at as closes_at
    from (
        select
            company_id,
            reference_minute,
            day_offset as piece_day,
            opens_at as piece_opens_at,
            least(closes_at, 1440 * (day_offset + 1)) as piece_closes_at
        from calendar_slots
        union all
        select
            company_id,
            reference_minute,
            day_offset + 1 as piece_day,
            1440 * (day_offset + 1) as piece_opens_at,
            closes_at as piece_closes_at
        from calendar_slots
        where closes_at > 1440 * (day_offset + 1) and not is_next_day_holiday
    ) as pieces
    where piece_closes_at > reference_minute

),

account_next_opens as (

    select
        company_id,
        min(opens_at) as send_minute
    from slot_pieces
    group by company_id

),

-- the first moment of the contact's usual open hour inside an open slot
usual_hour_sends as (

    select
        contacts.contact_id,
        min(greatest(slot_pieces.opens_at, 1440 * slot_pieces.piece_day + 60 * contacts.usual_open_hour))
            as send_minute
    from contacts
    inner join slot_pieces
        on
            contacts.company_id = slot_pieces.company_id
            and slot_pieces.opens_at < 1440 * slot_pieces.piece_day + 60 * contacts.usual_open_hour + 60
            and slot_pieces.closes_at > 1440 * slot_pieces.piece_day + 60 * contacts.usual_open_hour
    where contacts.usual_open_hour is not null
    group by contacts.contact_id

),

send_minutes as (

    select
        contacts.contact_id,
        contacts.company_id,
        contacts.customer_type,
        contacts.send_timezone,
        contacts.usual_open_hour,
        clocks.reference_local_date,
        contacts.company_id is not null and accounts.opening_hours_status <> 'parsed' as is_default_opening_hours,
        case
            when contacts.company_id is not null
                then coalesce(usual_hour_sends.send_minute, account_next_opens.send_minute)
            when 60 * coalesce(contacts.usual_open_hour, {{ var('consumer_default_send_hour') }})
                >= clocks.reference_minute
                then 60 * coalesce(contacts.usual_open_hour, {{ var('consumer_default_send_hour') }})
            else 1440 + 60 * coalesce(contacts.usual_open_hour, {{ var('consumer_default_send_hour') }})
        end as send_minute,
        case
            when usual_hour_sends.send_minute is not null then 'usual_open_hour'
            when account_next_opens.send_minute is not null then 'next_open_slot'
            when contacts.company_id is not null then 'no_open_slot'
            when contacts.usual_open_hour is not null then 'usual_open_hour'
            else 'default_hour'
        end as send_window_basis
    from contacts
    inner join clocks
        on contacts.send_timezone = clocks.send_timezone
    left join accounts
        on contacts.company_id = accounts.company_id
    left join usual_hour_sends
        on contacts.contact_id = usual_hour_sends.contact_id
    left join account_next_opens
        on contacts.company_id = account_next_opens.company_id

),

local_sends as (

    select
        *,
        {{ dbt.dateadd('minute', 'send_minute', 'cast(reference_local_date as timestamp)') }} as next_send_local_at
    from send_minutes

),

final as (

    select
        -- ids
        contact_id,
        company_id,
        -- strings
        customer_type,
        send_timezone,
        send_window_basis,
        -- numerics
        usual_open_hour,
        -- booleans
        coalesce(is_default_opening_hours, false) as is_default_opening_hours,
        -- dates
        {{ send_reference_at() }} as send_reference_at,
        {{ local_to_utc('next_send_local_at', 'send_timezone') }} as next_send_at,
        next_send_local_at
    from local_sends

)

select * from final
